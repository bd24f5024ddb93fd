package io.hallmark.core;

import io.hallmark.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The package rules (no cycles, core free of HTTP and SQL) over this module's classes and those it uses. */
class ArchitectureTest {

    @Test
    void packagesFollowTheArchitectureRules() {
        ArchitectureRules.check(Hallmark.class);
    }
}
