package io.hallmark.core.enroll;

import java.util.List;

/**
 * Where a device's new key goes, decided per request by key migration policies ({@code io.hallmark.core.migrate}):
 * which CA and profile certify it, or why it is refused. It only chooses the route and judges the key; issuance
 * stays the one pipeline ({@code Issuer.issue}).
 */
public interface KeyRouting {

    /** No policies: every request is issued on its own route. */
    KeyRouting NONE = new KeyRouting() {
        @Override
        public List<Route> targets(String label, Route route) {
            return List.of();
        }

        @Override
        public Decision decide(String label, Route route, String deviceId, String keyDescription) {
            return new Decision.Keep();
        }
    };

    /**
     * The routes policies may move requests on {@code label}/{@code route} to, whatever the device: certificates of
     * these re-enroll here too (a device that moved keeps renewing on its label), and a CSR is checked against their
     * profiles as well as the route's.
     */
    List<Route> targets(String label, Route route);

    /**
     * @param deviceId       the device the caller proved to be; null when the grant names none
     * @param keyDescription the CSR's key as {@code KeyPolicy#check} describes it ({@code ec-p256}, {@code ml-dsa-65})
     */
    Decision decide(String label, Route route, String deviceId, String keyDescription);

    sealed interface Decision {
        /** Issue on the route asked for: no policy covers the device, or its grace period is on. */
        record Keep() implements Decision {
        }

        /** Issue under {@code to}; the certificate the device renews with is superseded. */
        record Move(Route to, long policyId) implements Decision {
        }

        /** A one-line reason: the key a policy asks for, and where to learn it (csrattrs). */
        record Refuse(String reason) implements Decision {
        }
    }
}
