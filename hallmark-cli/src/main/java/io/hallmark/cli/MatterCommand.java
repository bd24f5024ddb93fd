package io.hallmark.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "matter", description = {"Matter PKI: a PAA and PAIs for device attestation, DACs; fabrics (RCAC, ICAC) and NOCs (docs/matter.md).",
        "PAA, PAI and DAC follow the Matter Core Specification's certificate profiles (6.2.2): P-256 keys,",
        "ecdsa-with-SHA256, Vendor and Product IDs as the Matter subject attributes."},
        subcommands = {MatterPaaCommand.class, MatterPaiCommand.class, MatterDacCommand.class, MatterFabricCommand.class,
                MatterNocCommand.class})
final class MatterCommand {

    @ParentCommand
    HallmarkCommand root;
}
