package io.hallmark.core.issue;

import io.hallmark.core.profile.HardwareModuleName;
import org.bouncycastle.asn1.x509.GeneralName;

import java.util.List;

/**
 * A request to issue one certificate.
 *
 * @param csr                PKCS#10, PEM or DER
 * @param serialNumber       device serial to put in the subject's serialNumber; null to take the CSR's
 * @param hardwareModuleName RFC 4108 name for the SAN; null for none
 * @param actor              who asks, for the audit log ({@code cli:alice}, {@code idevid:<serial>})
 * @param names              DNS names and IP addresses for the SAN; only server-authentication profiles take them
 * @param confirmation       what the caller's authorization spends (a one-time token), done inside the transaction
 *                           that records the certificate: both happen, or neither
 * @param subject            the subject the front end sets instead of the CSR's (a Matter NOC names the node and fabric
 *                           the commissioner chose; the device's CSR subject means nothing there); null: the CSR's. It
 *                           passes the same subject rules and template as a CSR's
 */
public record IssuanceRequest(String ca, String profile, byte[] csr, String serialNumber,
                              HardwareModuleName hardwareModuleName, String actor, List<GeneralName> names,
                              Confirmation confirmation, org.bouncycastle.asn1.x500.X500Name subject) {

    public IssuanceRequest {
        names = List.copyOf(names == null ? List.of() : names);
        confirmation = confirmation == null ? Confirmation.NONE : confirmation;
    }

    public IssuanceRequest(String ca, String profile, byte[] csr, String serialNumber, HardwareModuleName hardwareModuleName, String actor,
                           List<GeneralName> names, Confirmation confirmation) {
        this(ca, profile, csr, serialNumber, hardwareModuleName, actor, names, confirmation, null);
    }

    public IssuanceRequest(String ca, String profile, byte[] csr, String serialNumber, HardwareModuleName hardwareModuleName, String actor,
                           List<GeneralName> names) {
        this(ca, profile, csr, serialNumber, hardwareModuleName, actor, names, Confirmation.NONE);
    }

    public IssuanceRequest(String ca, String profile, byte[] csr, String serialNumber, HardwareModuleName hardwareModuleName, String actor) {
        this(ca, profile, csr, serialNumber, hardwareModuleName, actor, List.of(), Confirmation.NONE);
    }
}
