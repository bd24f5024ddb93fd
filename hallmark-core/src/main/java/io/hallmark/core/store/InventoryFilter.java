package io.hallmark.core.store;

import java.time.Instant;
import java.util.List;

/**
 * What an inventory query selects; null (or false) fields do not filter. Built and checked by
 * {@code io.hallmark.core.inventory.InventoryFilters}, so the store sees only valid values.
 *
 * @param now                       the instant status and "alive" are judged at
 * @param algorithms                key algorithms the certificate's key must be one of ({@code --algorithm}, or the
 *                                  deprecated ones); an empty list matches nothing, null does not filter
 * @param keyStorage                the key storage recorded for the certificate's device at provisioning
 * @param expiringBefore            unrevoked certificates whose notAfter falls before this instant (expired ones included)
 * @param neverRenewed              device certificates other than its identity that are the only one of their
 *                                  profile for their device: an LDevID never re-enrolled
 * @param idevidRevokedLdevidAlive  unrevoked, unexpired device certificates other than its identity whose device's
 *                                  identity (IDevID) is revoked
 * @param seenSince                 certificates of devices last seen at or after this instant
 * @param notSeenSince              certificates of devices not seen since this instant (never seen included);
 *                                  certificates of no device do not match
 */
public record InventoryFilter(Instant now, String caName, String profile, List<String> algorithms, String keyStorage,
                              InventoryStatus status, Instant expiringBefore, boolean neverRenewed,
                              boolean idevidRevokedLdevidAlive, Instant seenSince, Instant notSeenSince) {

    public InventoryFilter {
        if (now == null) throw new IllegalArgumentException("now is required");
        algorithms = algorithms == null ? null : List.copyOf(algorithms);
    }

    public static InventoryFilter all(Instant now) {
        return new InventoryFilter(now, null, null, null, null, null, null, false, false, null, null);
    }
}
