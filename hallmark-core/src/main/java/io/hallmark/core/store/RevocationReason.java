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
                // certificateHold is not final and Hallmark has no unhold: saying so beats "unknown" for a reason the RFC names.
                if (r == certificateHold) {
                    throw HallmarkException.badInput("revocation is final; certificateHold (suspension) is not supported (reasons: " + accepted() + ")");
                }
                // removeFromCRL only exists inside delta CRLs.
                if (r == removeFromCRL) break;
                return r;
            }
        }
        throw HallmarkException.badInput("unknown revocation reason '" + name + "' (one of: " + accepted() + ")");
    }

    private static String accepted() {
        return Arrays.stream(values()).filter(r -> r != removeFromCRL && r != certificateHold).map(Enum::name).collect(Collectors.joining(", "));
    }
}
