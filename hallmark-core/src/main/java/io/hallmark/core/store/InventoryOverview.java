package io.hallmark.core.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Counts over the whole store, computed by {@link InventoryRepository#overview} at {@code at}: the one reading of the
 * fleet's counts that the inventory overview, the console's overview, the PKI health radar and the metrics gauges all
 * use. Maps are sorted by key; a null key (nothing recorded) shows as {@code "unrecorded"}. "Valid" is not revoked and
 * not past notAfter.
 *
 * @param certificates          all certificates
 * @param byCa                  certificates per issuing CA
 * @param byProfile             certificates per profile
 * @param byAlgorithm           certificates per key algorithm
 * @param byStatus              certificates per status at {@code at}, keyed by {@link InventoryStatus#id()} (valid, revoked, expired)
 * @param byKeyStorage          device identities per key storage recorded at provisioning
 * @param deprecatedAlgorithms  the algorithms marked deprecated
 * @param onDeprecatedAlgorithm certificates whose key uses one of them
 * @param statusByCa            per CA, certificates per status (as {@code byStatus})
 * @param validByAlgorithm      valid certificates per key algorithm
 * @param expiry                valid certificates by when they expire, one bucket each ({@link #BUCKETS}): within 7 days,
 *                              8-30 days, 31-90 days, 91-365 days, later, never (the RFC 5280 99991231235959Z notAfter of
 *                              an identity meant to last the device's life)
 * @param expiryByCa            per CA, valid certificates in the buckets 7d, 30d and 90d (as {@code expiry})
 * @param devices               registered devices and how many were seen lately
 */
public record InventoryOverview(Instant at, long certificates, Map<String, Long> byCa, Map<String, Long> byProfile,
                                Map<String, Long> byAlgorithm, Map<String, Long> byStatus,
                                Map<String, Long> byKeyStorage, List<String> deprecatedAlgorithms, long onDeprecatedAlgorithm,
                                Map<String, Map<String, Long>> statusByCa, Map<String, Long> validByAlgorithm,
                                Map<String, Long> expiry, Map<String, Map<String, Long>> expiryByCa, Devices devices) {

    /** The key counts without a recorded value are listed under. */
    public static final String UNRECORDED = "unrecorded";

    /** The expiry buckets, in order. */
    public static final List<String> BUCKETS = List.of("7d", "30d", "90d", "1y", "later", "never");

    /** How recent a last seen must be for a device to count as seen lately. */
    public static final Duration SEEN_WINDOW = Duration.ofDays(30);

    /**
     * @param registered devices registered (the devices table)
     * @param blocked    of those, blocked for good (their identity, or the device, revoked)
     * @param seen       of the devices not blocked, those with a last seen within {@link #SEEN_WINDOW}
     */
    public record Devices(long registered, long blocked, long seen) {

        /** Registered devices not blocked. */
        public long live() {
            return registered - blocked;
        }
    }

    /** The same counts with the device identities' key storages replaced (a what-if). */
    public InventoryOverview withKeyStorage(Map<String, Long> storage) {
        return new InventoryOverview(at, certificates, byCa, byProfile, byAlgorithm, byStatus, storage, deprecatedAlgorithms,
                onDeprecatedAlgorithm, statusByCa, validByAlgorithm, expiry, expiryByCa, devices);
    }

    /** The same counts with the devices seen lately replaced (a what-if). */
    public InventoryOverview withSeen(long seen) {
        return new InventoryOverview(at, certificates, byCa, byProfile, byAlgorithm, byStatus, byKeyStorage, deprecatedAlgorithms,
                onDeprecatedAlgorithm, statusByCa, validByAlgorithm, expiry, expiryByCa, new Devices(devices.registered(), devices.blocked(), seen));
    }

    /** Valid certificates: not revoked, not expired. */
    public long validCertificates() {
        return byStatus.getOrDefault(InventoryStatus.VALID.id(), 0L);
    }

    /** Device identities, whatever their key storage. */
    public long deviceIdentities() {
        return byKeyStorage.values().stream().mapToLong(Long::longValue).sum();
    }
}
