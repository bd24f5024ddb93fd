package io.hallmark.core.archfixture;

import io.hallmark.core.Hallmark;

/** A core service reaching back for the composition root, for ArchitectureRulesTest. */
public final class UsesTheFacade {
    public static Object store(Hallmark hallmark) {
        return hallmark.store();
    }
}
