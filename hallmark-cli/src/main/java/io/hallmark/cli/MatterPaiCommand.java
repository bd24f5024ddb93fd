package io.hallmark.cli;

import io.hallmark.core.matter.MatterId;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.store.CertificateAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "pai", description = {"Create a Product Attestation Intermediate under a PAA (P-256, pathLen 0, Vendor ID, optional",
        "Product ID) and its DAC profile dac-NAME: DACs under it carry its Vendor ID (and its Product ID when it has one),",
        "set by the CA where the CSR leaves them out; a CSR with other ones is refused. One PAI per product line",
        "lets factory batches use dac-NAME as they use idevid.",
        "  hallmark matter pai --name pai-8000 --paa paa --vid FFF1 --pid 8000"})
final class MatterPaiCommand implements Callable<Integer> {

    @ParentCommand
    MatterCommand matter;
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "CA name (at most 28 characters: its DAC profile is dac-NAME).")
    String name;
    @Option(names = "--paa", required = true, paramLabel = "NAME", description = "The PAA that certifies it.")
    String paa;
    @Option(names = "--vid", required = true, paramLabel = "HEX", description = "Vendor ID, 16-bit hex; the PAA's, if the PAA has one.")
    String vid;
    @Option(names = "--pid", paramLabel = "HEX", description = "Product ID, 16-bit hex: this PAI then certifies DACs of that product only.")
    String pid;
    @Option(names = "--cn", paramLabel = "TEXT", description = "Common name (default: \"Matter PAI NAME\").")
    String commonName;
    @Option(names = "--validity", defaultValue = "forever", paramLabel = "DURATION", description = "Validity, e.g. 20y, or forever (default).")
    String validity;
    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        var hallmark = matter.root.open();
        CertificateAuthority pai = hallmark.matterAttestation().createPai(name, paa, MatterId.parse16(vid, "--vid"),
                pid == null ? null : MatterId.parse16(pid, "--pid"), commonName != null ? commonName : "Matter PAI " + name,
                Validity.parse(validity), HallmarkCommand.actor());
        Exports.caFiles(hallmark, matter.root.dataDir());
        MatterReports.ca(output.json, "PAI", pai, matter.root.dataDir());
        return 0;
    }
}
