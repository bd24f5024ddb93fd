package io.hallmark.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Counts over the whole store for an overview page, computed by {@link InventoryRepository#overview} at {@code at}.
 * Maps are sorted by key; a null key (nothing recorded) shows as {@code "unrecorded"}.
 *
 * @param certificates          all certificates
 * @param byCa                  certificates per issuing CA
 * @param byProfile             certificates per profile
 * @param byAlgorithm           certificates per key algorithm
 * @param byStatus              certificates per status at {@code at}, keyed by {@link InventoryStatus#id()} (valid, revoked, expired)
 * @param byKeyStorage          device identities per key storage recorded at provisioning
 * @param deprecatedAlgorithms  the algorithms marked deprecated
 * @param onDeprecatedAlgorithm certificates whose key uses one of them
 */
public record InventoryOverview(Instant at, long certificates, Map<String, Long> byCa, Map<String, Long> byProfile,
                                Map<String, Long> byAlgorithm, Map<String, Long> byStatus,
                                Map<String, Long> byKeyStorage, List<String> deprecatedAlgorithms, long onDeprecatedAlgorithm) {

    /** The key counts without a recorded value are listed under. */
    public static final String UNRECORDED = "unrecorded";
}
