package io.hallmark.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code hallmark matter ...}: the Matter PKI (docs/matter.md). */
@Command(name = "matter", description = "Matter PKI: check a device's attestation chain (DAC, PAI, PAA).",
        subcommands = {MatterVerifyDacCommand.class})
final class MatterCommand {

    @ParentCommand
    HallmarkCommand root;
}
