package io.hallmark.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "import", description = "Bring in what was made elsewhere: a fleet of device certificates and the CA that issued them (docs/platforms.md).",
        subcommands = {ImportFleetCommand.class})
final class ImportCommand {

    @ParentCommand
    HallmarkCommand root;
}
