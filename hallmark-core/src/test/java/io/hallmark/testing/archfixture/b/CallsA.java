package io.hallmark.testing.archfixture.b;

import io.hallmark.testing.archfixture.a.CallsB;

/** The other half, for ArchitectureRulesTest: b calls a (a method, not a constant, which javac would inline). */
public final class CallsA {
    public static int viaA() {
        return CallsB.one();
    }
}
