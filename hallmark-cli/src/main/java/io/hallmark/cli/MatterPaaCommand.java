package io.hallmark.cli;

import io.hallmark.core.matter.MatterId;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.store.CertificateAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "paa", description = {"Create a Product Attestation Authority: a self-signed P-256 root (pathLen 1), with the",
        "Vendor ID when given (a PAA without one may certify PAIs of any vendor). Written to DATA/ca/NAME.pem.",
        "Before production use, a PAA is registered on the CSA's Distributed Compliance Ledger (docs/matter.md).",
        "  hallmark matter paa --name paa --vid FFF1"})
final class MatterPaaCommand implements Callable<Integer> {

    @ParentCommand
    MatterCommand matter;
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "CA name (lowercase letters, digits, '-').")
    String name;
    @Option(names = "--vid", paramLabel = "HEX", description = "Vendor ID, 16-bit hex (e.g. FFF1; test vendors are FFF1-FFF4).")
    String vid;
    @Option(names = "--cn", paramLabel = "TEXT", description = "Common name (default: \"Matter PAA NAME\").")
    String commonName;
    @Option(names = "--validity", defaultValue = "forever", paramLabel = "DURATION",
            description = "Validity, e.g. 30y, or forever (99991231235959Z, what DACs need to be valid without expiry). Default: forever.")
    String validity;
    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        var hallmark = matter.root.open();
        Integer vendor = vid == null ? null : MatterId.parse16(vid, "--vid");
        CertificateAuthority paa = hallmark.matterAttestation().createPaa(name, commonName != null ? commonName : "Matter PAA " + name, vendor,
                Validity.parse(validity), HallmarkCommand.actor());
        Exports.caFiles(hallmark, matter.root.dataDir());
        MatterReports.ca(output.json, "PAA", paa, matter.root.dataDir());
        return 0;
    }
}
