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

    /** A device whose IDevID is revoked may not enroll. */
    boolean isBlocked(String deviceId);
}
