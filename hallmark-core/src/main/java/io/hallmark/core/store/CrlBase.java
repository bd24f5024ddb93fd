package io.hallmark.core.store;

import java.time.Instant;

/**
 * The latest complete CRL of one scope, which delta CRLs of that scope name as their base.
 *
 * @param partition {@link #WHOLE_CA} for the CA's full CRL, else the partition number
 * @param maxSeq    the revocation sequence it covers: a delta lists what came after
 */
public record CrlBase(String caName, int partition, long number, long maxSeq, Instant thisUpdate) {

    public static final int WHOLE_CA = -1;
}
