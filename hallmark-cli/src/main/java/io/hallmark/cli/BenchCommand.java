package io.hallmark.cli;

import picocli.CommandLine.Command;

/** Load generators against a running server; each protocol is one subcommand. */
@Command(name = "bench", description = "Measure a running Hallmark server.",
        subcommands = {BenchEstCommand.class})
final class BenchCommand {
}
