package io.hallmark.core.store;

import java.time.Instant;

/** @param invalidityDate when the key is known or suspected to have been compromised; may be null */
public record Revocation(RevocationReason reason, Instant revokedAt, Instant invalidityDate) {
}
