package io.hallmark.core.enroll;

import io.hallmark.core.error.HallmarkException;

import java.util.List;

/**
 * What an EST label (the path segment in {@code /.well-known/est/<label>/}) stands for: which CA and
 * profile issue, which manufacturer CAs vouch for devices, and whether bootstrap without an IDevID is on.
 *
 * @param name           the label; empty for the default one
 * @param idevidIssuers  Hallmark CAs whose IDevIDs may enroll
 * @param foreignAnchors PEM certificates of other manufacturers' IDevID CAs that may enroll too
 * @param allowBootstrap one-time enrollment tokens over HTTP Basic, for devices without an IDevID
 * @param importedIssuers CAs whose imported device certificates may enroll here (an operator's explicit choice,
 *                        {@code hallmark est label set --accept-imported CA}); empty by default and in labels stored before
 */
public record EnrollmentLabel(String name, String ca, String profile, List<String> idevidIssuers,
                              List<String> foreignAnchors, boolean allowBootstrap, List<String> importedIssuers) {

    public EnrollmentLabel(String name, String ca, String profile, List<String> idevidIssuers, List<String> foreignAnchors,
                           boolean allowBootstrap) {
        this(name, ca, profile, idevidIssuers, foreignAnchors, allowBootstrap, List.of());
    }

    public static final EnrollmentLabel DEFAULT = new EnrollmentLabel("", "ldevid-ca", "ldevid", List.of("idevid-ca"), List.of(), false, List.of());

    /** What the label signs as. */
    public Route route() {
        return new Route(ca, profile);
    }

    /** Who may enroll under the label. */
    public EnrollmentPolicy policy() {
        return new EnrollmentPolicy(idevidIssuers, foreignAnchors, allowBootstrap, importedIssuers);
    }

    /** Whether a label could be called this: lowercase letters, digits and '-', at most 32 (the empty name is the default). */
    public static boolean validName(String name) {
        return name != null && name.length() <= 32 && name.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-');
    }

    public EnrollmentLabel {
        if (!validName(name)) {
            throw HallmarkException.badInput("EST label '" + name + "' must be lowercase letters, digits and '-'");
        }
        idevidIssuers = List.copyOf(idevidIssuers == null ? List.of() : idevidIssuers);
        foreignAnchors = List.copyOf(foreignAnchors == null ? List.of() : foreignAnchors);
        importedIssuers = List.copyOf(importedIssuers == null ? List.of() : importedIssuers);
    }
}
