package io.hallmark.core.store;

import io.hallmark.core.audit.AuditEntry;
import io.hallmark.core.audit.AuditEvent;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * The hash-chained audit log. Appends serialise on the chain head, so entries from several server
 * nodes still form one chain; each entry's hash covers its fields and its predecessor's hash.
 */
public interface AuditLog {

    AuditEntry append(String actor, AuditEvent event, Instant at);

    /** Streams every entry in sequence order, without holding the log in memory. */
    void scan(Consumer<AuditEntry> consumer);
}
