package io.hallmark.core.principal;

import java.time.Instant;
import java.util.Locale;

/** A credential as listed (CLI 'token list', the REST API): never its secret or hash. */
public record CredentialView(String id, String name, String kind, String role, String created, String expires, String revoked, String status) {

    public static CredentialView of(Principal p, Instant now) {
        String unusable = p.unusableReason(now);
        return new CredentialView(p.id(), p.name(), p.kind().name().toLowerCase(Locale.ROOT), p.role().id(), p.createdAt().toString(),
                p.kind() == Principal.Kind.TOKEN ? (p.expiresAt() == null ? "never" : p.expiresAt().toString()) : null,
                p.revokedAt() == null ? null : p.revokedAt().toString(),
                unusable == null ? "active" : p.revokedAt() != null ? "revoked" : "expired");
    }
}
