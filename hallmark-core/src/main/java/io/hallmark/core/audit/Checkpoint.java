package io.hallmark.core.audit;

import io.hallmark.core.error.HallmarkException;

import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A statement of the audit log's state in the C2SP tlog-checkpoint body form (https://c2sp.org/tlog-checkpoint):
 * the origin line, the number of entries, and the head hash (the last entry's chain hash, 32 bytes, base64), then
 * one extension line {@code time RFC3339} saying when it was taken. Hallmark's log is a hash chain, not a Merkle
 * tree, so the "root hash" is the chain's head: a later log extends this one exactly when its entry {@code size}
 * has this hash (every earlier entry is bound to it through the chain).
 *
 * @param origin   the log's name, the same as its signing key's name
 * @param size     entries covered (the head is entry {@code size}); 0 for an empty log
 * @param headHash that entry's hash, lowercase hex as the log stores it
 */
public record Checkpoint(String origin, long size, String headHash, Instant time) {

    public String body() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(headHash)) + "\n"
                + "time " + time + "\n";
    }

    /** Reads a body {@link #body} wrote (as {@link SignedNote#open} returns it). */
    public static Checkpoint parse(String body) {
        String[] lines = body.split("\n");
        try {
            if (lines.length < 3) throw new IllegalArgumentException("fewer than three lines");
            long size = Long.parseLong(lines[1]);
            if (size < 0) throw new IllegalArgumentException("negative size");
            byte[] hash = Base64.getDecoder().decode(lines[2]);
            if (hash.length != 32) throw new IllegalArgumentException("the head hash is not 32 bytes");
            Instant time = null;
            for (int i = 3; i < lines.length; i++) {
                if (lines[i].startsWith("time ")) time = Instant.parse(lines[i].substring(5));
            }
            return new Checkpoint(lines[0], size, HexFormat.of().formatHex(hash), time);
        } catch (RuntimeException e) {
            throw HallmarkException.badInput("malformed checkpoint: " + e.getMessage());
        }
    }
}
