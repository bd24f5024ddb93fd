package io.hallmark.cli;

import picocli.CommandLine.Command;

/** Benchmarks, each beside a real peer measured in the same run; one subcommand a subject. */
@Command(name = "bench", description = {"Benchmarks that measure Hallmark beside a real peer in the same run.",
        "crl and ocsp build a throwaway installation in a temporary directory; est drives a running server."},
        subcommands = {BenchCrl.class, BenchOcsp.class, BenchEstCommand.class})
final class BenchCommand {
}
