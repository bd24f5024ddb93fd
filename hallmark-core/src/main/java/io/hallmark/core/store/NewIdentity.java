package io.hallmark.core.store;

/**
 * One freshly issued device certificate for {@link IssuanceRepository#record}.
 *
 * @param bind       whether to bind it as the device's single identity of its profile (IDevID)
 * @param station    the station that requested it, or null
 * @param keyStorage where the device keeps the key: secure-element, tpm, software; or null
 */
public record NewIdentity(CertificateRecord certificate, DeviceRecord device, boolean bind, String station, String keyStorage) {
}
