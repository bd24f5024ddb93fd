package io.hallmark.cli;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.matter.tlv.MatterTlvCertificates;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.matter.FabricIds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "noc", description = {"Issue a Node Operational Certificate on a fabric for the key of a node's CSR. The subject is",
        "what is given here (node id, the fabric's id, CATs), not the CSR's. Node ids are operational",
        "(0000000000000001 to FFFFFFEFFFFFFFFF); at most three CATs, distinct identifiers, non-zero versions.",
        "Refused with the reason otherwise (exit 3); nothing is stored then.",
        "  hallmark matter noc --fabric home --node-id 0000000000000001 --cat 00010001 --csr node.csr --out noc.pem"})
final class MatterNocCommand implements Callable<Integer> {

    @ParentCommand
    MatterCommand matter;
    @Option(names = "--fabric", required = true, paramLabel = "NAME", description = "The fabric ('matter fabric create').")
    String fabric;
    @Option(names = "--node-id", required = true, paramLabel = "HEX", description = "Operational node id, 64-bit hex.")
    String nodeId;
    @Option(names = "--cat", paramLabel = "HEX", description = "CASE Authenticated Tag, 32-bit hex (repeatable, at most 3).")
    List<String> cats = new ArrayList<>();
    @Option(names = "--csr", required = true, paramLabel = "FILE", description = "The node's PKCS#10 request (P-256), PEM or DER.")
    Path csr;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the NOC (PEM).")
    Path out;
    @Option(names = "--chain", description = "Append the ICAC (if any) and the RCAC after the NOC (PEM only).")
    boolean chain;
    @Option(names = "--tlv", description = "Write the NOC in the Matter TLV certificate form (what a commissioner sends in AddNOC) instead of PEM;"
            + " it decodes back to the exact DER ('hallmark matter tlv decode').")
    boolean tlv;
    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        if (tlv && chain) throw HallmarkException.badInput("--chain writes PEM; with --tlv, export the RCAC and ICAC with 'hallmark matter tlv encode'");
        long node = FabricIds.nodeId(nodeId);
        List<Integer> tags = FabricIds.cats(cats);
        var hallmark = matter.root.open();
        IssuedCertificate issued = hallmark.matterFabrics().issueNoc(fabric, node, tags, IssueCommand.read(csr), HallmarkCommand.actor());
        MatterReports.issued(issued, out, chain, tlv ? MatterTlvCertificates::toTlv : null, output.json, hallmark.clock().instant(),
                s -> "issued NOC " + s.serial() + " for node " + FabricIds.hex64(node) + " on fabric " + fabric + ", valid until "
                        + s.notAfter() + " -> " + out + (tlv ? " (Matter TLV)" : ""));
        return 0;
    }
}
