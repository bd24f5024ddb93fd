package io.hallmark.core.access;

import java.time.Instant;

/**
 * A caller of the REST API: an API token or an operator's client certificate.
 *
 * @param id          public identifier (the token's id part, or the certificate's SHA-256 fingerprint)
 * @param secretHash  SHA-256 of the token's secret, hex; null for certificates
 * @param revokedAt   null while usable
 */
public record Principal(String id, String name, Role role, Kind kind, String secretHash, Instant createdAt, Instant revokedAt) {

    public enum Kind { TOKEN, CERTIFICATE }

    /** For audit entries: {@code token:NAME} or {@code cert:NAME}. */
    public String actor() {
        return (kind == Kind.TOKEN ? "token:" : "cert:") + name;
    }
}
