package io.hallmark.core.revoke;

import io.hallmark.core.HallmarkException;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Revocation;
import io.hallmark.core.store.Store;
import io.hallmark.core.store.Tx;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records revocations: of one certificate, of everything a device holds, or of a batch. Publishing them
 * (CRL, OCSP) reads these records; listeners in this process hear of each one as soon as it commits,
 * other nodes through the store's revocation sequence.
 */
public final class Revoker {

    /** Told, after commit, which certificates were just revoked. Must not throw or block for long. */
    @FunctionalInterface
    public interface Listener {
        void revoked(List<CertificateRecord> revoked);
    }

    /** What a device revocation did. */
    public record DeviceOutcome(String deviceId, List<CertificateRecord> revoked, boolean blocked) {
    }

    /** What a batch revocation did: all of it, or (on an unknown serial) none of it. */
    public record BatchOutcome(List<CertificateRecord> revoked, List<String> alreadyRevoked) {
    }

    /** Upper bound for one batch, so one transaction stays a reasonable size. */
    public static final int MAX_BATCH = 1_000_000;
    private static final int MAX_DEVICE_CERTS = 100_000;

    private final Store store;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public Revoker(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /**
     * @param invalidityDate when the key is known or suspected to have been compromised; null if unknown
     * @throws HallmarkException NOT_FOUND for an unknown serial, CONFLICT if already revoked
     */
    public CertificateRecord revoke(String serialText, RevocationReason reason, Instant invalidityDate, String actor) {
        String serial = Serials.normalize(serialText);
        Revocation revocation = revocation(reason, invalidityDate);
        CertificateRecord done = store.inTransaction(tx -> {
            CertificateRecord cert = tx.certificates().find(serial)
                    .orElseThrow(() -> HallmarkException.notFound("no certificate with serial " + serial));
            if (cert.revocation() != null) {
                throw HallmarkException.conflict("certificate " + serial + " was already revoked at " + cert.revocation().revokedAt()
                        + " (" + cert.revocation().reason() + ")");
            }
            return record(tx, cert, revocation, actor);
        });
        notify(List.of(done));
        return done;
    }

    /**
     * Revokes every current (unrevoked, unexpired) certificate of a device and blocks it from enrolling again.
     *
     * @throws HallmarkException NOT_FOUND for an unknown device, CONFLICT if it is already blocked with nothing left to revoke
     */
    public DeviceOutcome revokeDevice(String deviceId, RevocationReason reason, Instant invalidityDate, String actor) {
        Revocation revocation = revocation(reason, invalidityDate);
        DeviceOutcome outcome = store.inTransaction(tx -> {
            tx.devices().find(deviceId).orElseThrow(() -> HallmarkException.notFound("no device '" + deviceId + "'"));
            Instant now = revocation.revokedAt();
            List<CertificateRecord> current = tx.certificates().find(new CertificateQuery(deviceId, null, null, null, MAX_DEVICE_CERTS))
                    .stream().filter(c -> c.revocation() == null && !now.isAfter(c.notAfter())).toList();
            boolean wasBlocked = tx.devices().isBlocked(deviceId);
            if (current.isEmpty() && wasBlocked) {
                throw HallmarkException.conflict("device " + deviceId + " is already blocked and has no current certificate");
            }
            List<CertificateRecord> revoked = new ArrayList<>();
            for (CertificateRecord c : current) {
                revoked.add(record(tx, c, revocation, actor));
            }
            block(tx, deviceId, reason, null, actor, now);
            return new DeviceOutcome(deviceId, revoked, true);
        });
        notify(outcome.revoked());
        return outcome;
    }

    /**
     * Revokes a list of serials in one transaction. Any serial that is malformed or unknown refuses the
     * whole batch (nothing recorded) and the error names them; serials already revoked are skipped and
     * reported, so running the same batch twice is harmless. Duplicates count once.
     */
    public BatchOutcome revokeBatch(List<String> serialTexts, RevocationReason reason, Instant invalidityDate, String actor) {
        if (serialTexts.isEmpty()) {
            throw HallmarkException.badInput("the batch is empty");
        }
        if (serialTexts.size() > MAX_BATCH) {
            throw HallmarkException.badInput("a batch holds at most " + MAX_BATCH + " serials, not " + serialTexts.size());
        }
        Set<String> serials = new LinkedHashSet<>();
        List<String> malformed = new ArrayList<>();
        for (String text : serialTexts) {
            try {
                serials.add(Serials.normalize(text));
            } catch (HallmarkException e) {
                malformed.add(text);
            }
        }
        if (!malformed.isEmpty()) {
            throw HallmarkException.badInput(malformed.size() + " entr" + (malformed.size() == 1 ? "y is" : "ies are")
                    + " not serial numbers: " + sample(malformed) + "; nothing revoked");
        }
        Revocation revocation = revocation(reason, invalidityDate);
        BatchOutcome outcome = store.inTransaction(tx -> {
            List<CertificateRecord> found = new ArrayList<>(serials.size());
            List<String> unknown = new ArrayList<>();
            List<String> already = new ArrayList<>();
            for (String s : serials) {
                var cert = tx.certificates().find(s);
                if (cert.isEmpty()) unknown.add(s);
                else if (cert.get().revocation() != null) already.add(s);
                else found.add(cert.get());
            }
            if (!unknown.isEmpty()) {
                throw HallmarkException.notFound(unknown.size() + " serial" + (unknown.size() == 1 ? " is" : "s are")
                        + " not known: " + sample(unknown) + "; nothing revoked");
            }
            List<CertificateRecord> revoked = new ArrayList<>(found.size());
            for (CertificateRecord c : found) {
                revoked.add(record(tx, c, revocation, actor));
            }
            return new BatchOutcome(revoked, already);
        });
        notify(outcome.revoked());
        return outcome;
    }

    /** Records one revocation with its audit entry; revoking a device's bound identity (IDevID) blocks the device. */
    private CertificateRecord record(Tx tx, CertificateRecord cert, Revocation revocation, String actor) {
        if (!tx.certificates().revoke(cert.serial(), revocation)) {
            throw HallmarkException.conflict("certificate " + cert.serial() + " was revoked concurrently");
        }
        Instant invalidity = revocation.invalidityDate();
        tx.audit().append(actor, AuditEvent.of("cert.revoke", cert.serial(), "reason", revocation.reason().name(), "ca", cert.caName(),
                "device", cert.deviceId(), "invalidityDate", invalidity == null ? null : invalidity.toString()), revocation.revokedAt());
        if (cert.deviceId() != null && tx.devices().identity(cert.deviceId(), cert.profile()).map(cert.serial()::equals).orElse(false)) {
            block(tx, cert.deviceId(), revocation.reason(), cert.serial(), actor, revocation.revokedAt());
        }
        return cert.withRevocation(revocation);
    }

    private static void block(Tx tx, String deviceId, RevocationReason reason, String serial, String actor, Instant at) {
        if (!tx.devices().isBlocked(deviceId)) {
            tx.devices().block(deviceId, reason.name(), serial, actor, at);
            tx.audit().append(actor, AuditEvent.of("device.block", deviceId, "reason", reason.name(), "serial", serial), at);
        }
    }

    private Revocation revocation(RevocationReason reason, Instant invalidityDate) {
        Instant now = clock.instant();
        if (invalidityDate != null && invalidityDate.isAfter(now)) {
            throw HallmarkException.badInput("the invalidity date " + invalidityDate + " is in the future");
        }
        // Whole seconds: CRL and OCSP times carry no fractions.
        return new Revocation(reason, Instant.ofEpochSecond(now.getEpochSecond()),
                invalidityDate == null ? null : Instant.ofEpochSecond(invalidityDate.getEpochSecond()));
    }

    private void notify(List<CertificateRecord> revoked) {
        if (revoked.isEmpty()) return;
        for (Listener l : listeners) {
            try {
                l.revoked(revoked);
            } catch (RuntimeException e) {
                // A listener is a cache; the revocation is recorded, and polling catches up with it.
                System.getLogger(Revoker.class.getName()).log(System.Logger.Level.WARNING, "revocation listener failed", e);
            }
        }
    }

    private static String sample(List<String> items) {
        return String.join(", ", items.subList(0, Math.min(10, items.size()))) + (items.size() > 10 ? ", ..." : "");
    }
}
