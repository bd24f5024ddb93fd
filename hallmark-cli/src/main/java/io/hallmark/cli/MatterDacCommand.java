package io.hallmark.cli;

import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.matter.MatterId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "dac", description = {"Issue a Device Attestation Certificate under a PAI from the device's PKCS#10 CSR (P-256,",
        "ecdsa-with-SHA256). The Vendor ID must be the PAI's, the Product ID the PAI's where it has one (else the CSR",
        "must carry it); both are set from the PAI where the CSR leaves them out. Checked against the DAC profile and",
        "recorded before it is written. Exit 3 with the reason when anything does not fit; nothing is stored then.",
        "  hallmark matter dac --pai pai-8000 --vid FFF1 --pid 8000 --serial-number SN-0001 --csr dev.csr --out dac.pem"})
final class MatterDacCommand implements Callable<Integer> {

    @ParentCommand
    MatterCommand matter;
    @Option(names = "--pai", required = true, paramLabel = "NAME", description = "The PAI that signs it.")
    String pai;
    @Option(names = "--vid", required = true, paramLabel = "HEX", description = "Vendor ID, 16-bit hex: the PAI's.")
    String vid;
    @Option(names = "--pid", required = true, paramLabel = "HEX", description = "Product ID, 16-bit hex.")
    String pid;
    @Option(names = "--csr", required = true, paramLabel = "FILE", description = "The device's PKCS#10 request, PEM or DER.")
    Path csr;
    @Option(names = "--serial-number", paramLabel = "SN", description = "Device serial number for the subject's serialNumber (unless the CSR carries it).")
    String serialNumber;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the DAC (PEM).")
    Path out;
    @Option(names = "--chain", description = "Append the PAI and PAA after the DAC.")
    boolean chain;
    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        var hallmark = matter.root.open();
        IssuedCertificate issued = hallmark.matterAttestation().issueDac(pai, IssueCommand.read(csr), MatterId.parse16(vid, "--vid"),
                MatterId.parse16(pid, "--pid"), serialNumber, HallmarkCommand.actor());
        MatterReports.issued(issued, out, chain, null, output.json, hallmark.clock().instant(),
                s -> (issued.replayed() ? "already issued, same key: DAC " : "issued DAC ") + s.serial()
                        + (s.device() == null ? "" : " for device " + Output.safe(s.device())) + " under " + pai + " -> " + out);
        return 0;
    }
}
