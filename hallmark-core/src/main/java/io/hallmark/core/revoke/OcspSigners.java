package io.hallmark.core.revoke;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.publication.Publishing;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.OcspResponderRecord;
import io.hallmark.core.store.Store;
import io.hallmark.core.store.Tx;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.SealedKey;
import io.hallmark.core.x509.CertificateAssembler;
import io.hallmark.core.x509.CertificateTemplate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delegated OCSP responders, one per CA (RFC 6960 §4.2.2.2): a short-lived certificate with
 * id-kp-OCSPSigning and id-pkix-ocsp-nocheck, issued by that CA. The CA key then signs once a week rather
 * than for every response. A responder is replaced once less than {@link #ROTATE_BEFORE} of its life is left.
 *
 * <p>Every node signs with the same responder: the current one is recorded in the store
 * ({@link io.hallmark.core.store.OcspResponderRepository}). Its key is where the CA's key is: beside a CA on a
 * PKCS#11 token it is made on the token (sensitive, never extractable) and recorded by reference; beside a
 * software CA it is sealed by the key vault into the record, so any node with the vault passphrase opens it,
 * whatever keys directory it has. A node that finds it due rotates it under the CA's lock in the database and
 * re-reads it there first, so nodes rotating at once make one successor and the others adopt it (dropping the
 * key they made). Rotating replaces the record, which deletes a sealed key; a token key is deleted from the
 * token one rotation later ({@link #deleteLongRetired}).
 */
final class OcspSigners {

    static final Duration ROTATE_BEFORE = Duration.ofDays(2);
    private static final String ACTOR = "system:ocsp";
    private static final System.Logger LOG = System.getLogger(OcspSigners.class.getName());

    /** A responder ready to sign. */
    record Signer(String ca, X509CertificateHolder certificate, KeyHandle key) {
        Instant notAfter() {
            return certificate.getNotAfter().toInstant();
        }
    }

    /** A CA's responder as the store records it. */
    private record Stored(OcspResponderRecord responder, CertificateRecord certificate) {
    }

    /** What the locked transaction found to do: take the responder another node made meanwhile, or the one it made. */
    private sealed interface Outcome permits Adopted, Rotated {
    }

    private record Adopted(Stored stored) implements Outcome {
    }

    private record Rotated(Signer signer, Stored replaced) implements Outcome {
    }

    /** A responder key just made: sealed for the database, or (sealed null) on the CA's token, recorded by reference. */
    private record NewKey(KeyHandle handle, String sealed) {
        /** Removes a key that was never recorded: nothing refers to it, and a token would keep it forever. */
        void dropUnused(KeyVaults vaults) {
            if (sealed == null) vaults.delete(handle.ref());
        }
    }

    private final Store store;
    private final KeyVaults vaults;
    private final Clock clock;
    private final Map<String, Signer> current = new ConcurrentHashMap<>();
    /** Per CA, so this node's threads wait here for one of them to fetch or rotate, instead of each in the database. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    OcspSigners(Store store, KeyVaults vaults, Clock clock) {
        this.store = store;
        this.vaults = vaults;
        this.clock = clock;
    }

    Signer get(CertificateAuthority ca) {
        Signer s = current.get(ca.name());
        if (s != null && !due(s.notAfter())) {
            return s;
        }
        synchronized (locks.computeIfAbsent(ca.name(), name -> new Object())) {
            s = current.get(ca.name());
            if (s == null || due(s.notAfter())) {
                s = shared(ca);
                current.put(ca.name(), s);
            }
            return s;
        }
    }

    /** For the scheduler: rotate responders in time, so no request waits for a key to be made. */
    void rotateDue(List<CertificateAuthority> cas) {
        for (CertificateAuthority ca : cas) {
            Signer s = current.get(ca.name());
            if (s != null && due(s.notAfter())) {
                get(ca);
            }
        }
    }

    private boolean due(Instant notAfter) {
        return !clock.instant().plus(ROTATE_BEFORE).isBefore(notAfter);
    }

    /** The CA's current responder: the one recorded if it is still good, else a successor made under the CA's lock. */
    private Signer shared(CertificateAuthority ca) {
        Stored found = store.read(tx -> stored(tx, ca.name()));
        if (usable(found)) {
            return open(found);
        }
        // Made before the lock is taken, so the lock is held only for signing and recording. A node that then
        // finds a successor already recorded drops what it made (from the token, where it was made there).
        NewKey key = newKey(ca);
        KeyHandle caKey = vaults.open(ca.keyRef());
        Outcome outcome;
        try {
            outcome = store.inTransaction(tx -> {
                tx.ocspResponders().lock(ca.name());
                Stored again = stored(tx, ca.name());
                return usable(again) ? new Adopted(again) : new Rotated(rotate(tx, ca, caKey, key, again), again);
            });
        } catch (RuntimeException e) {
            key.dropUnused(vaults);
            throw e;
        }
        return switch (outcome) {
            case Adopted a -> {
                key.dropUnused(vaults);
                yield open(a.stored());
            }
            case Rotated r -> {
                deleteLongRetired(r.replaced());
                yield r.signer();
            }
        };
    }

    /**
     * The responder's key, where its CA's key is: on the CA's token when that keeps keys inside (the key is then
     * recorded by reference only), else sealed by the software vault for the database, so every node opens it.
     */
    private NewKey newKey(CertificateAuthority ca) {
        String scheme = KeyVaults.schemeOf(ca.keyRef());
        if (vaults.keepsKeysInside(scheme)) {
            return new NewKey(vaults.generate(scheme, ca.name() + "-ocsp", ca.algorithm()), null);
        }
        SealedKey sealed = vaults.generateSealed(ca.name() + "-ocsp", ca.algorithm());
        return new NewKey(sealed.handle(), sealed.sealed());
    }

    /**
     * After a rotation on a token: the key the replaced responder had itself replaced is deleted now, a responder's
     * life after it stopped signing; the key retired just now waits for the next rotation, since a node whose clock
     * runs behind may still sign with it for a moment. A failure leaves a stray object on the token, not a wrong answer.
     */
    private void deleteLongRetired(Stored replaced) {
        if (replaced == null || replaced.responder().retiredKeyRef() == null) return;
        String ref = replaced.responder().retiredKeyRef();
        try {
            vaults.delete(ref);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete retired OCSP responder key " + ref + ": " + e.getMessage());
        }
    }

    private static Stored stored(Tx tx, String ca) {
        return tx.ocspResponders().find(ca)
                .flatMap(r -> tx.certificates().find(r.serial()).map(c -> new Stored(r, c)))
                .orElse(null);
    }

    private boolean usable(Stored s) {
        return s != null && s.certificate().revocation() == null && !due(s.certificate().notAfter());
    }

    private Signer open(Stored s) {
        X509CertificateHolder cert = Pem.holder(s.certificate().der());
        OcspResponderRecord r = s.responder();
        KeyHandle key = r.sealedKey() == null ? vaults.open(r.keyRef()) : vaults.openSealed(r.keyRef(), r.sealedKey(), publicKey(cert));
        return new Signer(r.caName(), cert, key);
    }

    /** Issues the successor for {@code key}, records it as current (replacing the previous one and its key), audited. */
    private Signer rotate(Tx tx, CertificateAuthority ca, KeyHandle caKey, NewKey key, Stored previous) {
        X509CertificateHolder caCert = ca.holder();
        Instant now = clock.instant();
        Instant notAfter = Profiles.OCSP_RESPONDER.validity().notAfter(now);
        if (notAfter.isAfter(caCert.getNotAfter().toInstant())) {
            notAfter = caCert.getNotAfter().toInstant();
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "OCSP Responder " + ca.name()).build();
        var template = new CertificateTemplate(subject, SubjectPublicKeyInfo.getInstance(key.handle().publicKey().getEncoded()), now, notAfter,
                Profiles.OCSP_RESPONDER, null, List.of(), null, List.of(Publishing.ocspNoCheck()));
        X509CertificateHolder cert = CertificateAssembler.sign(template, caCert, caKey);
        CertificateRecord record = CertificateRecord.of(cert, ca.name(), Profiles.OCSP_RESPONDER.name(), null, now);
        tx.certificates().insert(record);
        String retired = previous != null && previous.responder().sealedKey() == null ? previous.responder().keyRef() : null;
        tx.ocspResponders().put(new OcspResponderRecord(ca.name(), record.serial(), key.handle().ref(), key.sealed(), retired, now));
        tx.audit().append(ACTOR, AuditEvent.of("cert.issue", record.serial(), "ca", ca.name(), "profile", Profiles.OCSP_RESPONDER.name(),
                "subject", record.subject(), "key", key.handle().ref(), "sha256", record.fingerprint()), now);
        return new Signer(ca.name(), cert, key.handle());
    }

    private static PublicKey publicKey(X509CertificateHolder cert) {
        try {
            return new JcaPEMKeyConverter().getPublicKey(cert.getSubjectPublicKeyInfo());
        } catch (org.bouncycastle.openssl.PEMException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "unreadable OCSP responder certificate key: " + e.getMessage(), e);
        }
    }
}
