package io.hallmark.core.store;

import java.util.List;
import java.util.Optional;

/**
 * Issued certificates. Rows are never updated: revocation is a separate append-only record, so the
 * certificate a device holds is always exactly the one stored.
 */
public interface CertificateRepository {

    void insert(CertificateRecord certificate);

    Optional<CertificateRecord> find(String serial);

    List<CertificateRecord> find(CertificateQuery query);

    /** What {@link #find(CertificateQuery)} returns, streamed to {@code consumer} as the rows are read (bounded memory). */
    void each(CertificateQuery query, java.util.function.Consumer<CertificateRecord> consumer);

    /**
     * Records a revocation; false if the certificate was already revoked (the first one stands). Each
     * revocation takes the next number of the store-wide revocation sequence, in commit order.
     */
    boolean revoke(String serial, Revocation revocation);

    /** The last number of the revocation sequence: cheap, so every node can poll it every second. */
    long revocationSequence();

    /** Revocations after sequence number {@code afterSeq}, in sequence order, at most {@code limit}. */
    java.util.List<RevokedEntry> revokedSince(long afterSeq, int limit);

    /**
     * Streams the revoked certificates of a CA, for a CRL.
     *
     * @param partition    only this CRL partition; null for all
     * @param afterSeq     only revocations after this sequence number (a delta CRL); -1 for all
     * @param upToSeq      only revocations up to this number, so that what is read matches the sequence read
     * @param notExpiredAt leave out certificates whose notAfter is before this instant (RFC 5280 §3.3 allows it)
     */
    void eachRevoked(String caName, Integer partition, long afterSeq, long upToSeq, java.time.Instant notExpiredAt,
                     java.util.function.Consumer<RevokedEntry> consumer);

    long count();

    /** Streams every certificate of a CA (all CAs if null) without holding them in memory. */
    void scan(String caName, java.util.function.Consumer<CertificateRecord> consumer);

}
