package io.hallmark.bench;

import io.hallmark.cli.Cli;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `hallmark bench` comes from this module, found by the CLI on the class path: it must be listed and behave
 * as a command declared in the CLI would, with the options every command inherits.
 */
class BenchListedTest {

    @Test
    void hallmarkHelpListsBenchBeforeHelp() {
        Cli.Run r = Cli.raw("--help");
        assertEquals(0, r.exit(), r::toString);
        int factory = r.out().indexOf("\n  factory "), bench = r.out().indexOf("\n  bench "), help = r.out().indexOf("\n  help ");
        assertTrue(factory > 0 && factory < bench && bench < help, r::toString);
        assertTrue(r.out().contains("  bench        Benchmarks that measure Hallmark beside a real peer in the same"), r::toString);
    }

    @Test
    void benchListsItsSubcommandsAndInheritsTheGlobalOptionsAndFooter() {
        Cli.Run r = Cli.raw("bench", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("Usage: hallmark bench [-hV] [--data=DIR] [--db=URL] [COMMAND]"), r::toString);
        for (String sub : new String[]{"factory", "wire", "crl", "ocsp", "est", "sign", "posture"}) {
            assertTrue(r.out().contains("\n  " + sub + " "), sub + "\n" + r);
        }
        assertTrue(r.out().contains("Exit codes: 0 ok, 1 failure, 2 usage, 3 bad input"), r::toString);
        Cli.Run viaHelp = Cli.raw("help", "bench");
        assertEquals(r.out(), viaHelp.out());
    }

    @Test
    void anUnknownBenchIsAUsageError() {
        Cli.Run r = Cli.raw("bench", "nonsense");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("Unmatched argument at index 1: 'nonsense'"), r::toString);
    }
}
