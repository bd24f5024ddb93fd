package io.hallmark.core.store;

import java.time.Instant;

/**
 * One certificate as the inventory lists it.
 *
 * @param algorithm  the certificate's key algorithm ({@code ec-p256}, {@code rsa-2048}...), recorded at issuance
 * @param keyStorage the key storage recorded for its device at provisioning, null if none was
 * @param lastSeen   when its device was last seen (docs/monitoring.md), null if never or no device
 */
public record InventoryRow(String serial, String ca, String profile, String device, String algorithm, String keyStorage,
                           Instant notAfter, InventoryStatus status, Instant lastSeen) {
}
