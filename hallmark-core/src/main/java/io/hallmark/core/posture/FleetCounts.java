package io.hallmark.core.posture;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fleet's counts the radar and the console's overview read, as one aggregate: grouped counts, never rows. Kept
 * apart from the rest of the snapshot so that a store with pre-aggregated counters can answer it instead of the
 * grouped queries.
 *
 * @param deviceKeyStorage device identities (IDevIDs) by recorded key storage; "unknown" when none was recorded
 * @param validByCa        valid certificates (not revoked, inside their validity) by issuing CA
 * @param expiry           valid certificates by when they expire: {@link #BUCKETS} ("never": the RFC 5280
 *                         99991231235959Z notAfter of a device identity meant to last the device's life)
 * @param lastCheckpoint   when the last signed audit checkpoint was taken; null if never
 */
public record FleetCounts(Map<String, Long> deviceKeyStorage, Map<String, Long> validByCa, Map<String, Long> expiry,
                          Instant lastCheckpoint) {

    /** The expiry histogram's buckets, in order: within 30 days, 31-90 days, 91-365 days, later, never. */
    public static final java.util.List<String> BUCKETS = java.util.List.of("30d", "90d", "1y", "later", "never");

    public FleetCounts {
        deviceKeyStorage = Map.copyOf(deviceKeyStorage);
        validByCa = Map.copyOf(validByCa);
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (String b : BUCKETS) ordered.put(b, expiry.getOrDefault(b, 0L));
        expiry = java.util.Collections.unmodifiableMap(ordered);
    }

    /** Counts with only the two expiry buckets the radar scores filled in. */
    public FleetCounts(Map<String, Long> deviceKeyStorage, Map<String, Long> validByCa, long expiringWithin30d, long neverExpiring,
                       Instant lastCheckpoint) {
        this(deviceKeyStorage, validByCa, Map.of("30d", expiringWithin30d, "never", neverExpiring), lastCheckpoint);
    }

    public long validCertificates() {
        return validByCa.values().stream().mapToLong(Long::longValue).sum();
    }

    public long devices() {
        return deviceKeyStorage.values().stream().mapToLong(Long::longValue).sum();
    }

    public long expiringWithin30d() {
        return expiry.get("30d");
    }

    public long neverExpiring() {
        return expiry.get("never");
    }

    FleetCounts withDeviceKeyStorage(Map<String, Long> storage) {
        return new FleetCounts(storage, validByCa, expiry, lastCheckpoint);
    }

    FleetCounts withLastCheckpoint(Instant at) {
        return new FleetCounts(deviceKeyStorage, validByCa, expiry, at);
    }

    /** Where the counts come from: the store's grouped queries today, an inventory overview of counters later. */
    @FunctionalInterface
    public interface Source {
        FleetCounts counts(Instant now);
    }
}
