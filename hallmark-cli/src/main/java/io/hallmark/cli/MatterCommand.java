package io.hallmark.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code hallmark matter ...}: the Matter PKI (docs/matter.md). */
@Command(name = "matter", description = "Matter certificates: the Matter TLV certificate form.",
        subcommands = {MatterTlvCommand.class})
final class MatterCommand {

    @ParentCommand
    HallmarkCommand root;
}
