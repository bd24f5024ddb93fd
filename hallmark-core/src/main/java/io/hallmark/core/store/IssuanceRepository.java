package io.hallmark.core.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where every issuance records its certificates, a list at a time (one for {@code hallmark issue} and EST,
 * a chunk for a factory batch): one statement per list instead of one per device, so a chunk of a thousand
 * devices costs a handful of round trips to PostgreSQL rather than thousands.
 */
public interface IssuanceRepository {

    /** The identities of {@code profile} already bound for these devices, by device id. */
    Map<String, BoundIdentity> identities(String profile, Collection<String> deviceIds);

    /**
     * Records certificates, creating their devices as needed and binding identities where asked. The
     * bindings go through the same primary key as single issuance (device_identities), so whichever
     * transaction binds a device second fails, however many stations or nodes race.
     *
     * @throws io.hallmark.core.error.HallmarkException CONFLICT if a device already has a bound identity
     */
    void record(List<NewIdentity> identities);

    /**
     * The provenance recorded with these certificates, by serial, for those that are (still) a device's bound identity;
     * others are absent.
     */
    Map<String, IdentityProvenance> provenance(Collection<String> serials);

    /** Removes a device's binding of a profile, for explicit re-provisioning; false if it had none. */
    boolean unbind(String deviceId, String profile);
}
