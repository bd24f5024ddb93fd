package io.hallmark.cli;

import io.hallmark.core.matter.FabricIds;
import io.hallmark.core.matter.OperationalPki;
import io.hallmark.core.profile.Validity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "fabric", description = "Matter fabrics: the operational CAs a commissioner's NOCs chain to.",
        subcommands = {MatterFabricCommand.Create.class})
final class MatterFabricCommand {

    @ParentCommand
    MatterCommand matter;

    @Command(name = "create", description = {"Create a fabric's root (RCAC: a random matter-rcac-id and the fabric id) and, with --icac,",
            "an intermediate NAME-icac under it; NOCs are then issued by the lower one with the profile noc-NAME (node id,",
            "fabric id, up to three CATs; clientAuth and serverAuth, critical). P-256, ecdsa-with-SHA256.",
            "  hallmark matter fabric create --name home --fabric-id FAB000000000001D --icac"})
    static final class Create implements Callable<Integer> {
        @ParentCommand
        MatterFabricCommand fabric;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Fabric (and RCAC) name, at most 28 characters.")
        String name;
        @Option(names = "--fabric-id", required = true, paramLabel = "HEX", description = "Fabric id, 64-bit hex, non-zero.")
        String fabricId;
        @Option(names = "--icac", description = "Also an intermediate CA (ICAC) that signs the NOCs, so the root key can stay offline.")
        boolean icac;
        @Option(names = "--validity", defaultValue = "20y", paramLabel = "DURATION", description = "RCAC and ICAC validity (default 20y).")
        String validity;
        @Option(names = "--noc-validity", defaultValue = "1y", paramLabel = "DURATION", description = "NOC validity (default 1y).")
        String nocValidity;
        @Option(names = "--revocation-pointers", description = "NOCs carry the CRL distribution point and OCSP URL (larger; Matter"
                + " nodes do not follow them). NOCs are revocable through CRL and OCSP either way.")
        boolean revocationPointers;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            var hallmark = fabric.matter.root.open();
            OperationalPki.Fabric f = hallmark.matterFabrics().createFabric(name, FabricIds.fabricId(fabricId), icac, Validity.parse(validity),
                    Validity.parse(nocValidity), revocationPointers, HallmarkCommand.actor());
            Exports.caFiles(hallmark, fabric.matter.root.dataDir());
            MatterReports.ca(output.json, "RCAC", f.rcac(), fabric.matter.root.dataDir());
            if (f.icac() != null) MatterReports.ca(output.json, "ICAC", f.icac(), fabric.matter.root.dataDir());
            return 0;
        }
    }
}
