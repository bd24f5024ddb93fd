package io.hallmark.core.enroll;

import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.profile.HardwareModuleName;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * What an authorizer allows: a certificate for this device, and nothing else.
 *
 * @param deviceId        the device the caller proved to be; goes into the subject's serialNumber
 * @param exactSubject    if not null, the CSR's subject must be exactly this (re-enrollment, RFC 7030 §4.2.2)
 * @param hardware        the device's hardwareModuleName, carried into the new certificate; may be null
 * @param actor           who asked, for the audit log ({@code idevid:<serial>}, {@code ldevid:<serial>}, {@code token:<id>})
 * @param confirmation    what the grant spends (a one-time token), confirmed inside the issuance transaction:
 *                        a grant is never spent for a certificate that was not recorded, nor the reverse
 */
public record Grant(String deviceId, X500Name exactSubject, HardwareModuleName hardware, String actor,
                    IssuanceRequest.Confirmation confirmation) {

    public static Grant of(String deviceId, X500Name exactSubject, HardwareModuleName hardware, String actor) {
        return new Grant(deviceId, exactSubject, hardware, actor, IssuanceRequest.Confirmation.NONE);
    }
}
