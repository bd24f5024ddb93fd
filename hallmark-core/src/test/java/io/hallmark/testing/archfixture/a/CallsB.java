package io.hallmark.testing.archfixture.a;

import io.hallmark.testing.archfixture.b.CallsA;

/** Half of a package cycle, for ArchitectureRulesTest: a calls b. */
public final class CallsB {
    public static int one() {
        return 1;
    }

    public static int viaB() {
        return CallsA.viaA();
    }
}
