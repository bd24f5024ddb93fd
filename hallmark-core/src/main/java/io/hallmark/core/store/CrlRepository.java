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
}
