package io.hallmark.core.posture;

import java.time.Instant;
import java.util.Map;

/**
 * The fleet's counts the radar reads, as one aggregate: grouped counts, never rows. Kept apart from the rest of
 * the snapshot so that a store with pre-aggregated counters can answer it instead of the grouped queries.
 *
 * @param deviceKeyStorage    device identities (IDevIDs) by recorded key storage; "unknown" when none was recorded
 * @param validByCa           valid certificates (not revoked, inside their validity) by issuing CA
 * @param expiringWithin30d   valid certificates whose notAfter falls within 30 days
 * @param neverExpiring       valid certificates with the "no well-defined expiration" notAfter (99991231235959Z)
 * @param lastCheckpoint      when the last signed audit checkpoint was taken; null if never
 */
public record FleetCounts(Map<String, Long> deviceKeyStorage, Map<String, Long> validByCa, long expiringWithin30d,
                          long neverExpiring, Instant lastCheckpoint) {

    public FleetCounts {
        deviceKeyStorage = Map.copyOf(deviceKeyStorage);
        validByCa = Map.copyOf(validByCa);
    }

    public long validCertificates() {
        return validByCa.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Where the counts come from: the store's grouped queries today, an inventory overview of counters later. */
    @FunctionalInterface
    public interface Source {
        FleetCounts counts(Instant now);
    }
}
