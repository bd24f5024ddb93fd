package io.hallmark.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", description = {"Benchmarks that measure Hallmark beside a real peer in the same run.",
        "Each builds a throwaway installation in a temporary directory and deletes it afterwards."},
        subcommands = {BenchCrl.class, BenchOcsp.class})
final class BenchCommand {
}
