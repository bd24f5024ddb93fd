package io.hallmark.core.audit;

/**
 * Where the log says its chain ends: the sequence number and hash of the last entry appended, kept apart
 * from the entries (one row every append updates). Verification compares the chain it recomputes with it,
 * so cutting entries off the tail shows. A signed checkpoint, later, is this pair signed by a key the
 * database does not hold.
 *
 * @param seq  sequence number of the last entry, 0 for an empty log
 * @param hash that entry's hash, {@link AuditChain#GENESIS} for an empty log
 */
public record AuditHead(long seq, String hash) {
}
