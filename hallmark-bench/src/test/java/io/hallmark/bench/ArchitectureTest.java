package io.hallmark.bench;

import io.hallmark.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The package rules (no cycles, core free of HTTP and SQL) over the benchmarks and the modules they use. */
class ArchitectureTest {

    @Test
    void packagesFollowTheArchitectureRules() {
        ArchitectureRules.check(BenchCommand.class);
    }
}
