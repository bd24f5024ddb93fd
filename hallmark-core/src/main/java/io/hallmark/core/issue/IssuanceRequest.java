package io.hallmark.core.issue;

import io.hallmark.core.profile.HardwareModuleName;

/**
 * A request to issue one certificate.
 *
 * @param csr                PKCS#10, PEM or DER
 * @param serialNumber       device serial to put in the subject's serialNumber; null to take the CSR's
 * @param hardwareModuleName RFC 4108 name for the SAN; null for none
 * @param actor              who asks, for the audit log ({@code cli:alice}, {@code est:<idevid serial>})
 */
public record IssuanceRequest(String ca, String profile, byte[] csr, String serialNumber,
                              HardwareModuleName hardwareModuleName, String actor) {
}
