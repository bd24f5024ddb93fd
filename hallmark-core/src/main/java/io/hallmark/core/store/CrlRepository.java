package io.hallmark.core.store;

import java.util.Optional;

/** CRL bookkeeping shared by every node, so CRL numbers never go backwards whichever node signs. */
public interface CrlRepository {

    /**
     * Allocates the next CRL number of a CA (RFC 5280 §5.2.3: one monotonic sequence for its complete and
     * delta CRLs). Allocation takes the counter's row lock until the transaction ends.
     */
    long nextNumber(String caName);

    /** The latest complete CRL recorded for a scope. */
    Optional<CrlBase> base(String caName, int partition);

    /** Records a complete CRL as the base for deltas; an older number never replaces a newer one. */
    void saveBase(CrlBase base);

    /**
     * Stores {@code crl} as its scope's published CRL if its number is higher than the stored one's (or none is
     * stored); true if it was stored. What is stored therefore never goes backwards, whichever node writes.
     */
    boolean savePublished(PublishedCrl crl);

    /** The number of a scope's published CRL: a primary-key read, cheap enough for every request. */
    java.util.Optional<Long> publishedNumber(PublishedCrl.Scope scope);

    /** A scope's published CRL with its bytes. */
    java.util.Optional<PublishedCrl> published(PublishedCrl.Scope scope);

    /**
     * The number of every scope's published CRL, in one read (the signing node's refresh); bounded by the CAs and
     * the partitions ever served.
     */
    java.util.Map<PublishedCrl.Scope, Long> publishedNumbers();
}
