package io.hallmark.core.store;

import io.hallmark.core.audit.AuditChain;
import io.hallmark.core.audit.AuditEntry;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.audit.AuditHead;
import io.hallmark.core.audit.AuditVerification;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The hash-chained audit log. Appends serialise on the chain head, so entries from several server
 * nodes still form one chain; each entry's hash covers its fields and its predecessor's hash.
 */
public interface AuditLog {

    AuditEntry append(String actor, AuditEvent event, Instant at);

    /** Streams every entry in sequence order, without holding the log in memory. */
    void scan(Consumer<AuditEntry> consumer);

    /** Streams the entries after {@code seq}, in sequence order (a range of the primary key). */
    void scanAfter(long seq, Consumer<AuditEntry> consumer);

    /** The latest entry of this action (one probe of the (action, seq) index), if any. */
    Optional<AuditEntry> latest(String action);

    /** The head every append moves: the last entry's sequence number and hash; empty only if someone removed it. */
    Optional<AuditHead> head();

    /**
     * Walks the chain and checks that it reaches the recorded head. The head is read first: whatever is
     * appended meanwhile comes after it, so a busy log is never mistaken for a cut one.
     */
    default AuditVerification verify() {
        AuditChain.Verifier verifier = new AuditChain.Verifier(head());
        scan(verifier);
        return verifier.result();
    }
}
