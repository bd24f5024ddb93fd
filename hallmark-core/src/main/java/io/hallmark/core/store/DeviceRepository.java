package io.hallmark.core.store;

import java.util.List;
import java.util.Optional;

public interface DeviceRepository {

    /** Creates the device if new; an existing device is left as it is. */
    void ensure(DeviceRecord device);

    Optional<DeviceRecord> find(String id);

    List<DeviceRecord> all(int limit);

    /**
     * Binds a device's single identity of a profile (its IDevID) to a certificate.
     *
     * @throws io.hallmark.core.HallmarkException CONFLICT if the device already has one
     */
    void bindIdentity(String deviceId, String profile, String serial);

    Optional<String> identity(String deviceId, String profile);

    /**
     * Blocks a device from enrollment for good (its IDevID was revoked, or the device itself). Blocks are
     * append-only: a second block of the same device is ignored and the first one stands.
     *
     * @param serial the revoked certificate that caused it, or null for a device-level revocation
     */
    void block(String deviceId, String reason, String serial, String actor, java.time.Instant at);

    /** True once the device is blocked; the enrollment server refuses it. */
    boolean isBlocked(String deviceId);
}
