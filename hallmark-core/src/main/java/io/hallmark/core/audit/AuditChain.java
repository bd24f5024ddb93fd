package io.hallmark.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.crypto.Fingerprints;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The hash chain over audit entries: hash_n = SHA-256(fields_n || hash_{n-1}), with each field length
 * prefixed so that no two different rows encode alike. Verification walks the log once, in order.
 */
public final class AuditChain {

    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditChain() {
    }

    /** Builds the entry that follows {@code prevHash}. */
    public static AuditEntry next(long seq, String prevHash, String actor, AuditEvent event, Instant at) {
        String details;
        try {
            details = JSON.writeValueAsString(event.details()); // sorted keys: AuditEvent keeps a TreeMap
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Instant millis = Instant.ofEpochMilli(at.toEpochMilli());
        return new AuditEntry(seq, millis, actor, event.action(), event.subject(), details, prevHash,
                hash(seq, millis, actor, event.action(), event.subject(), details, prevHash));
    }

    static String hash(long seq, Instant at, String actor, String action, String subject, String details, String prevHash) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : new String[]{"hallmark-audit-v1", Long.toString(seq), Long.toString(at.toEpochMilli()),
                actor, action, subject, details, prevHash}) {
            byte[] bytes = (field == null ? "" : field).getBytes(StandardCharsets.UTF_8);
            out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            out.write(':');
            out.writeBytes(bytes);
        }
        return java.util.HexFormat.of().formatHex(Fingerprints.sha256(out.toByteArray()));
    }

    /** Feeds entries in order; {@link #result()} tells whether the chain holds and where it first breaks. */
    public static final class Verifier implements Consumer<AuditEntry> {
        private long expectedSeq = 1;
        private String prevHash = GENESIS;
        private long count;
        private AuditVerification broken;

        @Override
        public void accept(AuditEntry e) {
            if (broken != null) {
                return;
            }
            count++;
            if (e.seq() != expectedSeq) {
                broken = AuditVerification.broken(count, expectedSeq, "entry " + expectedSeq + " is missing (next found is " + e.seq() + ")");
            } else if (!e.prevHash().equals(prevHash)) {
                broken = AuditVerification.broken(count, e.seq(), "entry " + e.seq() + " does not link to entry " + (e.seq() - 1));
            } else if (!hash(e.seq(), e.at(), e.actor(), e.action(), e.subject(), e.details(), e.prevHash()).equals(e.hash())) {
                broken = AuditVerification.broken(count, e.seq(), "entry " + e.seq() + " was altered: its content does not match its hash");
            }
            expectedSeq = e.seq() + 1;
            prevHash = e.hash();
        }

        public AuditVerification result() {
            return broken != null ? broken : AuditVerification.intact(count, prevHash);
        }
    }
}
