package io.hallmark.core.station;

import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.StationRecord;

import java.util.List;

/**
 * A newly registered station and what it authenticates with.
 *
 * @param certificate    its client certificate, DER
 * @param chain          the client CA's chain, issuing CA first
 * @param privateKeyPem  PKCS#8 PEM when Hallmark generated the key, null when the station sent a CSR;
 *                       the only copy: write it with mode 0600 and hand it to the station
 */
public record StationCredentials(StationRecord station, byte[] certificate, List<CertificateAuthority> chain, String privateKeyPem) {
}
