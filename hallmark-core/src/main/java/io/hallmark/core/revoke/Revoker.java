package io.hallmark.core.revoke;

import io.hallmark.core.HallmarkException;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Revocation;
import io.hallmark.core.store.Store;

import java.time.Clock;
import java.time.Instant;

/** Records revocations. Publishing them (CRL, OCSP) reads these records. */
public final class Revoker {

    private final Store store;
    private final Clock clock;

    public Revoker(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param invalidityDate when the key is known or suspected to have been compromised; null if unknown
     * @throws HallmarkException NOT_FOUND for an unknown serial, CONFLICT if already revoked
     */
    public CertificateRecord revoke(String serialText, RevocationReason reason, Instant invalidityDate, String actor) {
        String serial = Serials.normalize(serialText);
        Instant now = clock.instant();
        Revocation revocation = new Revocation(reason, Instant.ofEpochSecond(now.getEpochSecond()), invalidityDate);
        return store.inTransaction(tx -> {
            CertificateRecord cert = tx.certificates().find(serial)
                    .orElseThrow(() -> HallmarkException.notFound("no certificate with serial " + serial));
            if (cert.revocation() != null) {
                throw HallmarkException.conflict("certificate " + serial + " was already revoked at " + cert.revocation().revokedAt()
                        + " (" + cert.revocation().reason() + ")");
            }
            tx.certificates().revoke(serial, revocation);
            tx.audit().append(actor, AuditEvent.of("cert.revoke", serial, "reason", reason.name(), "ca", cert.caName(),
                    "device", cert.deviceId(), "invalidityDate", invalidityDate == null ? null : invalidityDate.toString()), now);
            return cert.withRevocation(revocation);
        });
    }
}
