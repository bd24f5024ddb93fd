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
 */
public record EnrollmentPolicy(List<String> idevidIssuers, List<String> foreignAnchors, boolean allowBootstrap) {

    public EnrollmentPolicy {
        idevidIssuers = List.copyOf(idevidIssuers == null ? List.of() : idevidIssuers);
        foreignAnchors = List.copyOf(foreignAnchors == null ? List.of() : foreignAnchors);
    }
}
