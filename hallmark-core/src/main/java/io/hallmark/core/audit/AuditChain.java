package io.hallmark.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.crypto.Fingerprints;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
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

    /**
     * Feeds entries in order; {@link #result()} tells whether the chain holds and where it first breaks. The
     * chain alone cannot tell that entries were cut off its end, so the verifier also takes the head the log
     * records, read before the entries: the chain must reach it and agree with its hash. Entries after the
     * head are accepted (on PostgreSQL, appends that committed while the entries were read) and checked like
     * the others: an attacker who can append can also move the head, which only a head recorded elsewhere (a
     * signed checkpoint) catches.
     */
    public static final class Verifier implements Consumer<AuditEntry> {
        private final Optional<AuditHead> recorded;
        private long expectedSeq = 1;
        private String prevHash = GENESIS;
        private long count;
        private AuditVerification broken;

        /** @param recorded the log's head, read before its entries; empty if the log has none (itself tampering) */
        public Verifier(Optional<AuditHead> recorded) {
            this(recorded, 0, GENESIS);
        }

        /**
         * A walk that starts after entry {@code afterSeq}, whose hash is {@code afterHash} (a signed checkpoint's): the
         * entries up to it are taken as verified, the ones after it are fed.
         */
        public Verifier(Optional<AuditHead> recorded, long afterSeq, String afterHash) {
            this.recorded = recorded;
            this.expectedSeq = afterSeq + 1;
            this.prevHash = afterHash;
        }

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
            } else if (recorded.isPresent() && e.seq() == recorded.get().seq() && !e.hash().equals(recorded.get().hash())) {
                broken = AuditVerification.broken(count, e.seq(), "entry " + e.seq() + " is not the one the log's head records (hash "
                        + recorded.get().hash() + ")");
            }
            expectedSeq = e.seq() + 1;
            prevHash = e.hash();
        }

        public AuditVerification result() {
            if (broken != null) {
                return broken;
            }
            if (recorded.isEmpty()) {
                return AuditVerification.broken(count, expectedSeq, "the log's head record is missing");
            }
            AuditHead head = recorded.get();
            long last = expectedSeq - 1;
            if (last < head.seq()) {
                String missing = last + 1 == head.seq() ? "entry " + head.seq() + " is missing" : "entries " + (last + 1) + " to " + head.seq() + " are missing";
                return AuditVerification.broken(count, last + 1, missing + ": the log ends at entry " + last + ", but its head records entry "
                        + head.seq() + " (hash " + head.hash() + ")");
            }
            if (head.seq() == 0 && !head.hash().equals(GENESIS)) {
                return AuditVerification.broken(count, 0, "the log's head records no entry but hash " + head.hash());
            }
            return AuditVerification.intact(count, prevHash);
        }
    }
}
