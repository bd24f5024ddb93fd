package io.hallmark.core.revoke;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Revocation;
import io.hallmark.core.store.RevocationReason;
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
    /** The profiles CA certificates are recorded with. */
    private static final Set<String> CA_PROFILES = Set.of(Profiles.ROOT_CA.name(), Profiles.ISSUING_CA.name());

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
        return revokeWithDependents(serialText, reason, invalidityDate, actor).getFirst();
    }

    /**
     * Like {@link #revoke}, and returns everything the revocation took with it: a device's IDevID revoked
     * for keyCompromise revokes its other current certificates (LDevIDs) too, in the same transaction.
     *
     * @return the certificate named first, then its dependents
     * @throws HallmarkException FORBIDDEN for a CA certificate (see {@link #revokeCa})
     */
    public List<CertificateRecord> revokeWithDependents(String serialText, RevocationReason reason, Instant invalidityDate, String actor) {
        String serial = Serials.normalize(serialText);
        Revocation revocation = revocation(reason, invalidityDate);
        List<CertificateRecord> done = store.inTransaction(tx -> {
            CertificateRecord cert = tx.certificates().find(serial)
                    .orElseThrow(() -> HallmarkException.notFound("no certificate with serial " + serial));
            if (cert.revocation() != null) {
                throw HallmarkException.conflict("certificate " + serial + " was already revoked at " + cert.revocation().revokedAt()
                        + " (" + cert.revocation().reason() + ")");
            }
            refuseCaCertificate(cert);
            return record(tx, cert, revocation, actor);
        });
        notify(done);
        return done;
    }

    /**
     * Revokes a CA's own certificate: a key-ceremony act, offered only as an explicit command, never through
     * the ordinary paths ({@link #revoke}, batches, the API). From its commit on, no node issues under the CA
     * or under any CA below it ({@code IssuanceRules}); the revocation is published on its issuer's CRL and OCSP.
     *
     * @param caSerial the serial of the CA's certificate (a root's is self-issued: it appears on its own CRL)
     * @throws HallmarkException CONFLICT if already revoked
     */
    public CertificateRecord revokeCa(String caName, String caSerial, RevocationReason reason, Instant invalidityDate, String actor) {
        Revocation revocation = revocation(reason, invalidityDate);
        List<CertificateRecord> done = store.inTransaction(tx -> {
            CertificateRecord cert = tx.certificates().find(caSerial)
                    .orElseThrow(() -> HallmarkException.notFound("CA " + caName + " has no certificate record " + caSerial));
            if (cert.revocation() != null) {
                throw HallmarkException.conflict("CA " + caName + "'s certificate " + cert.serial() + " was already revoked at "
                        + cert.revocation().revokedAt() + " (" + cert.revocation().reason() + ")");
            }
            tx.audit().append(actor, AuditEvent.of("ca.revoke", caName, "serial", cert.serial(), "reason", reason.name()), revocation.revokedAt());
            tx.config().markChanged(); // a CA's state is shared configuration: caches of it reload on every node
            return record(tx, cert, revocation, actor);
        });
        notify(done);
        return done.getFirst();
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
            List<CertificateRecord> current = current(tx, deviceId, now);
            boolean wasBlocked = tx.devices().isBlocked(deviceId);
            if (current.isEmpty() && wasBlocked) {
                throw HallmarkException.conflict("device " + deviceId + " is already blocked and has no current certificate");
            }
            Revoking revoked = new Revoking();
            for (CertificateRecord c : current) {
                if (!revoked.contains(c)) revoked.addAll(record(tx, c, revocation, actor));
            }
            block(tx, deviceId, reason, null, actor, now);
            return new DeviceOutcome(deviceId, revoked.list(), true);
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
            for (CertificateRecord c : found) {
                refuseCaCertificate(c);
            }
            Revoking revoked = new Revoking();
            for (CertificateRecord c : found) {
                // An IDevID earlier in the batch may have taken this LDevID with it already.
                if (!revoked.contains(c)) revoked.addAll(record(tx, c, revocation, actor));
            }
            return new BatchOutcome(revoked.list(), already);
        });
        notify(outcome.revoked());
        return outcome;
    }

    /**
     * Records one revocation with its audit entry. Revoking a device's bound identity (its IDevID) blocks the
     * device; when the reason is keyCompromise it also revokes every other current certificate of the device
     * (its LDevIDs) in the same transaction: IEEE 802.1AR, an LDevID is only as trustworthy as the identity it
     * was bootstrapped from, and whoever holds the compromised IDevID key could have enrolled them.
     *
     * @return the certificate revoked, then any it took with it
     */
    private List<CertificateRecord> record(Tx tx, CertificateRecord cert, Revocation revocation, String actor) {
        List<CertificateRecord> done = new ArrayList<>();
        done.add(recordOne(tx, cert, revocation, actor, null));
        boolean identity = cert.deviceId() != null
                && tx.devices().identity(cert.deviceId(), cert.profile()).map(cert.serial()::equals).orElse(false);
        if (identity) {
            block(tx, cert.deviceId(), revocation.reason(), cert.serial(), actor, revocation.revokedAt());
            if (revocation.reason() == RevocationReason.keyCompromise) {
                for (CertificateRecord dependent : current(tx, cert.deviceId(), revocation.revokedAt())) {
                    if (!dependent.serial().equals(cert.serial())) {
                        done.add(recordOne(tx, dependent, revocation, actor, cert.serial()));
                    }
                }
            }
        }
        return done;
    }

    /**
     * Inside a transaction that records a device's new certificate: revokes the one it replaces (reason superseded),
     * audited like any revocation, so both happen or neither. A certificate revoked meanwhile stays as it was.
     * Other nodes and this one's CRL and OCSP caches learn of it by the revocation sequence they poll.
     *
     * @return whether this call revoked it
     */
    public static boolean supersede(Tx tx, String serial, Instant at, String actor) {
        CertificateRecord cert = tx.certificates().find(serial).orElse(null);
        if (cert == null || cert.revocation() != null) return false;
        recordOne(tx, cert, new Revocation(RevocationReason.superseded, at, null), actor, null);
        return true;
    }

    /** @param cause the IDevID whose compromise revoked this certificate too, or null */
    private static CertificateRecord recordOne(Tx tx, CertificateRecord cert, Revocation revocation, String actor, String cause) {
        if (!tx.certificates().revoke(cert.serial(), revocation)) {
            throw HallmarkException.conflict("certificate " + cert.serial() + " was revoked concurrently");
        }
        Instant invalidity = revocation.invalidityDate();
        tx.audit().append(actor, AuditEvent.of("cert.revoke", cert.serial(), "reason", revocation.reason().name(), "ca", cert.caName(),
                "device", cert.deviceId(), "invalidityDate", invalidity == null ? null : invalidity.toString(), "identityRevoked", cause),
                revocation.revokedAt());
        tx.events().append(io.hallmark.core.store.Event.of(revocation.revokedAt(), io.hallmark.core.store.EventType.REVOCATION,
                cert.deviceId(), cert.serial(), revocation.reason().name() + (cause == null ? "" : " (identity " + cause + " revoked)")));
        return cert.withRevocation(revocation);
    }

    /** The device's unrevoked, unexpired certificates. */
    private static List<CertificateRecord> current(Tx tx, String deviceId, Instant now) {
        return tx.certificates().find(new CertificateQuery(deviceId, null, null, null, MAX_DEVICE_CERTS))
                .stream().filter(c -> c.revocation() == null && !now.isAfter(c.notAfter())).toList();
    }

    /**
     * A CA's certificate is revoked only by {@link #revokeCa}: revoking it strands every device below it, so it
     * is a key-ceremony act, never a side effect of an API call or a batch.
     */
    private static void refuseCaCertificate(CertificateRecord cert) {
        if (CA_PROFILES.contains(cert.profile())) {
            throw HallmarkException.forbidden("certificate " + cert.serial() + " is a CA certificate (" + cert.subject()
                    + "); revoking a CA is a key-ceremony act: use 'hallmark ca revoke NAME --reason REASON --confirm'");
        }
    }

    /** The serials revoked so far in one transaction, in order, so a certificate taken along is not revoked twice. */
    private static final class Revoking {
        private final java.util.LinkedHashMap<String, CertificateRecord> bySerial = new java.util.LinkedHashMap<>();

        boolean contains(CertificateRecord c) {
            return bySerial.containsKey(c.serial());
        }

        void addAll(List<CertificateRecord> revoked) {
            for (CertificateRecord c : revoked) bySerial.put(c.serial(), c);
        }

        List<CertificateRecord> list() {
            return List.copyOf(bySerial.values());
        }
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
