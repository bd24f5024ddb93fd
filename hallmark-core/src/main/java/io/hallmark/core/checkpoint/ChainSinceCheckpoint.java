package io.hallmark.core.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.audit.AuditChain;
import io.hallmark.core.audit.AuditEntry;
import io.hallmark.core.audit.AuditVerification;
import io.hallmark.core.store.AuditLog;

import java.time.Instant;
import java.util.Optional;

/**
 * The audit chain verified from the last signed checkpoint forward: a checkpoint is signed only over a chain verified
 * intact (AuditCheckpoints.take), so the entries it covers need not be walked again on every report; the walk starts
 * at the entry after the one it signed, from that entry's hash, and reaches the head. Its cost follows what was
 * written since the checkpoint, not the log's size. {@code hallmark audit verify} still walks the whole chain, and only
 * the signed note kept outside the database proves the covered part unchanged since.
 *
 * @param verification   the walk's outcome (entries: those walked)
 * @param from           the entry the walk started after: the checkpoint's size, 0 with no checkpoint
 * @param lastCheckpoint when the last checkpoint was taken; null if never
 */
public record ChainSinceCheckpoint(AuditVerification verification, long from, Instant lastCheckpoint) {

    static final String ACTION = "audit.checkpoint";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Verifies {@code log} from its last checkpoint on (the whole chain when there is none, or its entry is unreadable). */
    public static ChainSinceCheckpoint verify(AuditLog log) {
        var head = log.head(); // read first: appends after it are walked too, never mistaken for a cut
        Optional<AuditEntry> last = log.latest(ACTION);
        long from = 0;
        String hash = AuditChain.GENESIS;
        if (last.isPresent()) {
            try {
                from = Long.parseLong(last.get().subject());
                hash = (String) JSON.readValue(last.get().details(), java.util.Map.class).get("head");
            } catch (Exception e) {
                from = 0;
                hash = null;
            }
            if (hash == null || hash.length() != 64 || from < 0 || from >= last.get().seq()) {
                from = 0; // an entry we cannot read vouches for nothing: walk everything
                hash = AuditChain.GENESIS;
            }
        }
        AuditChain.Verifier verifier = new AuditChain.Verifier(head, from, hash);
        log.scanAfter(from, verifier);
        return new ChainSinceCheckpoint(verifier.result(), from, last.map(AuditEntry::at).orElse(null));
    }

    /** The time of the last checkpoint alone (one index probe), for a report that does not walk the chain. */
    public static Instant lastCheckpoint(AuditLog log) {
        return log.latest(ACTION).map(AuditEntry::at).orElse(null);
    }
}
