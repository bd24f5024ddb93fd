package io.hallmark.core.report;

import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.IdentityProvenance;

import java.time.Instant;

/**
 * A certificate as shown by `cert list/show --json` and the REST API. Times are ISO-8601 UTC. {@code station} and
 * {@code keyStorage} are the provenance recorded with a device's bound identity ({@link IdentityProvenance}); null
 * for other certificates, and where nobody said.
 */
public record CertificateSummary(String serial, String status, String ca, String profile, String device, String subject,
                                 String notBefore, String notAfter, String issuedAt, String sha256, String keyId,
                                 String revokedAt, String revocationReason, String station, String keyStorage) {

    public static CertificateSummary of(CertificateRecord c, Instant now) {
        return of(c, now, null);
    }

    /** With the provenance recorded for it, or null for none. */
    public static CertificateSummary of(CertificateRecord c, Instant now, IdentityProvenance provenance) {
        var r = c.revocation();
        return new CertificateSummary(c.serial(), c.status(now).name().toLowerCase(java.util.Locale.ROOT), c.caName(), c.profile(),
                c.deviceId(), c.subject(), c.notBefore().toString(), c.notAfter().toString(), c.issuedAt().toString(),
                c.fingerprint(), c.keyId(), r == null ? null : r.revokedAt().toString(), r == null ? null : r.reason().name(),
                provenance == null ? null : provenance.station(), provenance == null ? null : provenance.keyStorage());
    }
}
