package io.hallmark.core.store;

import java.time.Instant;

/** A device known to the registry, named by its serial number (the IDevID's subject serialNumber). */
public record DeviceRecord(String id, Instant createdAt, String hwType, String hwSerial) {
}
