package io.hallmark.core.store;

/**
 * An IEEE 802.1AR hardwareModuleName claimed by a device under one issuing CA: the module (hwType OID,
 * hwSerialNum as lowercase hex) belongs to exactly one device per CA.
 */
public record HardwareModuleClaim(String caName, String hwType, String hwSerial, String deviceId) {

    /** The module's name, as audit entries and messages show it: {@code hwType:hwSerial}. */
    public String module() {
        return hwType + ":" + hwSerial;
    }
}
