package io.hallmark.core.store;

import java.util.Locale;

/** The kinds of {@link Event}; {@link #id()} is how they are stored and named on the command line. */
public enum EventType {
    ISSUANCE, ENROLLMENT, REENROLLMENT, AUTH_FAILURE, REVOCATION, OCSP, CRL, FACTORY, AUTH_REPORTED;

    /**
     * Whether an event of this kind about a device means the device itself was there: an issuance, an enrollment, a
     * re-enrollment or an authentication a backend saw. A revocation is an operator's act, not the device's.
     */
    public boolean movesLastSeen() {
        return this == ISSUANCE || this == ENROLLMENT || this == REENROLLMENT || this == AUTH_REPORTED;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException naming the known kinds */
    public static EventType parse(String id) {
        for (EventType t : values()) {
            if (t.id().equals(id)) return t;
        }
        throw new IllegalArgumentException("unknown event type '" + id + "' (known: "
                + String.join(", ", java.util.Arrays.stream(values()).map(EventType::id).toList()) + ")");
    }
}
