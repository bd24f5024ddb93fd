package io.hallmark.core.store;

import java.time.Instant;

/**
 * The newest CRL of one scope, as signed and published, kept so that every node serves the same one.
 *
 * @param partition  {@link CrlBase#WHOLE_CA} for the CA-wide scope, else the partition number
 * @param baseNumber for a delta, the complete CRL it applies to; else null
 * @param maxSeq     the revocation sequence number it is complete up to
 */
public record PublishedCrl(String caName, int partition, boolean delta, long number, Long baseNumber, Instant thisUpdate,
                           Instant nextUpdate, long maxSeq, int entries, byte[] der) {

    /** One CRL scope: a CA, a partition ({@link CrlBase#WHOLE_CA} for all of it), complete or delta. */
    public record Scope(String caName, int partition, boolean delta) {
    }

    public Scope scope() {
        return new Scope(caName, partition, delta);
    }
}
