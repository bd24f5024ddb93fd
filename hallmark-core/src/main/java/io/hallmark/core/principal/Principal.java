package io.hallmark.core.principal;

import io.hallmark.core.principal.Role;

import java.time.Instant;

/**
 * A caller of the REST API: an API token or an operator's client certificate.
 *
 * @param id          public identifier (the token's id part, or the certificate's SHA-256 fingerprint)
 * @param secretHash  SHA-256 of the token's secret, hex; null for certificates
 * @param revokedAt   null while usable
 * @param expiresAt   when a token stops working; null for one that never expires (a service account's), and
 *                    for certificates, whose own validity and revocation status govern them
 */
public record Principal(String id, String name, Role role, Kind kind, String secretHash, Instant createdAt, Instant revokedAt,
                        Instant expiresAt) {

    public enum Kind { TOKEN, CERTIFICATE }

    /** Why this principal may not call the API at {@code now}, or null if it may. */
    public String unusableReason(Instant now) {
        if (revokedAt != null) return "was revoked at " + revokedAt;
        if (expiresAt != null && !now.isBefore(expiresAt)) return "expired at " + expiresAt;
        return null;
    }

    /** For audit entries: {@code token:NAME} or {@code cert:NAME}. */
    public String actor() {
        return (kind == Kind.TOKEN ? "token:" : "cert:") + name;
    }
}
