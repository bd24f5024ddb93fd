package io.hallmark.core.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

public interface DeviceRepository {

    /** Creates the device if new; an existing device is left as it is. */
    void ensure(DeviceRecord device);

    Optional<DeviceRecord> find(String id);

    List<DeviceRecord> all(int limit);

    /** The serial of a device's single identity of a profile (its IDevID), bound by {@link IssuanceRepository#record}. */
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

    /** Which of these devices are blocked: one query for a whole factory chunk. */
    Set<String> blocked(Collection<String> deviceIds);

    /** The claims already recorded for these modules under {@code caName} (only hwType and hwSerial of each are read). */
    List<HardwareModuleClaim> hardwareModuleClaims(String caName, Collection<HardwareModuleClaim> modules);

    /**
     * Records new claims.
     *
     * @throws io.hallmark.core.error.HallmarkException CONFLICT if another transaction claimed one of the modules first
     */
    void claimHardwareModules(Collection<HardwareModuleClaim> claims);
}
