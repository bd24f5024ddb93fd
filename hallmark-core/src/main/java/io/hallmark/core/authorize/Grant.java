package io.hallmark.core.authorize;

import io.hallmark.core.issue.Confirmation;
import io.hallmark.core.profile.HardwareModuleName;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * What an authorizer allows, and what allowing it spends.
 *
 * @param deviceId     the device the caller proved to be, which goes into the subject's serialNumber; null when
 *                     the grant is for many devices named by the requests themselves (a factory station, an operator)
 * @param exactSubject if not null, the CSR's subject must be exactly this (re-enrollment, RFC 7030 §4.2.2)
 * @param hardware     the device's hardwareModuleName, carried into the new certificate; may be null
 * @param actor        who asked, for the audit log ({@code idevid:<serial>}, {@code token:<id>}, {@code station:<name>})
 * @param station      the registered factory station the grant belongs to, recorded with each identity; else null
 * @param confirmation what the grant spends (a one-time token, a station's quota), confirmed inside the
 *                     transaction that records the certificates: a grant is never spent for a certificate that
 *                     was not recorded, nor the reverse
 */
public record Grant(String deviceId, X500Name exactSubject, HardwareModuleName hardware, String actor, String station,
                    Confirmation confirmation) {

    public Grant {
        confirmation = confirmation == null ? Confirmation.NONE : confirmation;
    }

    /** A grant for one device that spends nothing. */
    public static Grant of(String deviceId, X500Name exactSubject, HardwareModuleName hardware, String actor) {
        return new Grant(deviceId, exactSubject, hardware, actor, null, Confirmation.NONE);
    }

    /**
     * An operator at the console (a local factory run, {@code hallmark issue}): access to the data directory
     * and the vault passphrase is the authorization, the requests name their devices, nothing is spent.
     */
    public static Grant operator(String actor) {
        return new Grant(null, null, null, actor, null, Confirmation.NONE);
    }
}
