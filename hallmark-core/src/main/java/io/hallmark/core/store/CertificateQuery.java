package io.hallmark.core.store;

import java.time.Instant;

/**
 * Filters for listing certificates; null fields do not filter.
 *
 * @param expiringBefore certificates not revoked whose notAfter falls before this instant
 * @param limit          at most this many, newest first
 */
public record CertificateQuery(String deviceId, String caName, String profile, Instant expiringBefore, int limit) {

    public static CertificateQuery all(int limit) {
        return new CertificateQuery(null, null, null, null, limit);
    }
}
