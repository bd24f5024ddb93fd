package io.hallmark.core.audit;

import java.time.Instant;

/**
 * One row of the audit log as stored. {@code details} is the exact JSON text that was hashed, so that
 * changing any stored byte, even insignificant whitespace, breaks the chain.
 */
public record AuditEntry(long seq, Instant at, String actor, String action, String subject, String details,
                         String prevHash, String hash) {
}
