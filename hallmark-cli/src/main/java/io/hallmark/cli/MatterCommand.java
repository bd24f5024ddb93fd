package io.hallmark.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code hallmark matter ...}: the Matter PKI (docs/matter.md). */
@Command(name = "matter", description = {"Matter PKI: a PAA and PAIs for device attestation, DACs; fabrics (RCAC, ICAC) and NOCs;",
        "checking a device's attestation chain; the Matter TLV certificate form (docs/matter.md). Certificates follow the Matter Core Specification's",
        "profiles (6.2.2, 6.5): P-256 keys, ecdsa-with-SHA256, the Matter ids as subject attributes."},
        subcommands = {MatterPaaCommand.class, MatterPaiCommand.class, MatterDacCommand.class, MatterFabricCommand.class,
                MatterNocCommand.class, MatterVerifyDacCommand.class, MatterTlvCommand.class})
final class MatterCommand {

    @ParentCommand
    HallmarkCommand root;
}
