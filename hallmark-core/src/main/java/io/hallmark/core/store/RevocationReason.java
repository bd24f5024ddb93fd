package io.hallmark.core.store;

import io.hallmark.core.error.HallmarkException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** RFC 5280 §5.3.1 CRLReason, by the names the RFC uses. Value 7 is unused in the RFC. */
public enum RevocationReason {
    unspecified(0), keyCompromise(1), cACompromise(2), affiliationChanged(3), superseded(4),
    cessationOfOperation(5), certificateHold(6), removeFromCRL(8), privilegeWithdrawn(9), aACompromise(10);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static RevocationReason parse(String name) {
        for (RevocationReason r : values()) {
            if (r.name().equalsIgnoreCase(name)) {
                // certificateHold is not final and Hallmark has no unhold; removeFromCRL only exists inside delta CRLs.
                // Both are real RFC 5280 names, so "unknown reason" would send the operator looking for a typo.
                if (r == certificateHold) {
                    throw HallmarkException.badInput("revocation is final: holds (certificateHold) are not supported, as nothing could lift one;"
                            + " revoke with a final reason (" + finalReasons() + ")");
                }
                if (r == removeFromCRL) {
                    throw HallmarkException.badInput("revocation is final: removeFromCRL only lifts a hold in a delta CRL, and Hallmark has no holds;"
                            + " revoke with a final reason (" + finalReasons() + ")");
                }
                return r;
            }
        }
        throw HallmarkException.badInput("unknown revocation reason '" + name + "' (one of: " + finalReasons() + ")");
    }

    private static String finalReasons() {
        return Arrays.stream(values()).filter(r -> r != removeFromCRL && r != certificateHold).map(Enum::name).collect(Collectors.joining(", "));
    }
}
