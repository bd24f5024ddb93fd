package io.hallmark.core.enroll;

import java.util.List;

/**
 * Who may ask on a route, as the authorizers read it: which manufacturer CAs vouch for devices by their
 * IDevID, and whether devices without one may bootstrap with a one-time token. Protocol-neutral: EST takes
 * it from a label, other front ends from their own configuration.
 *
 * @param idevidIssuers  Hallmark CAs whose IDevIDs may enroll
 * @param foreignAnchors PEM certificates of other manufacturers' IDevID CAs that may enroll too
 * @param allowBootstrap one-time enrollment tokens for devices without an IDevID
 * @param importedIssuers CAs (Hallmark's names) whose <em>imported</em> device certificates ({@code hallmark import fleet})
 *                        may enroll here with the old certificate as TLS client certificate; empty: none may (the default)
 */
public record EnrollmentPolicy(List<String> idevidIssuers, List<String> foreignAnchors, boolean allowBootstrap, List<String> importedIssuers) {

    public EnrollmentPolicy {
        idevidIssuers = List.copyOf(idevidIssuers == null ? List.of() : idevidIssuers);
        foreignAnchors = List.copyOf(foreignAnchors == null ? List.of() : foreignAnchors);
        importedIssuers = List.copyOf(importedIssuers == null ? List.of() : importedIssuers);
    }

    public EnrollmentPolicy(List<String> idevidIssuers, List<String> foreignAnchors, boolean allowBootstrap) {
        this(idevidIssuers, foreignAnchors, allowBootstrap, List.of());
    }
}
