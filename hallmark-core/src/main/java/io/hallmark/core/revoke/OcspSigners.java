package io.hallmark.core.revoke;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.publication.Publishing;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.x509.CertificateAssembler;
import io.hallmark.core.x509.CertificateTemplate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delegated OCSP responders, one per CA (RFC 6960 §4.2.2.2): a short-lived certificate with
 * id-kp-OCSPSigning and id-pkix-ocsp-nocheck, issued by that CA, for a key in the vault. The CA key then
 * signs once a week rather than for every response. A responder is replaced once less than
 * {@link #ROTATE_BEFORE} of its life is left; the current one is named in config
 * ({@code ocsp.responder.CA}) so every node signs with it, and a node that finds it due rotates it.
 */
final class OcspSigners {

    static final Duration ROTATE_BEFORE = Duration.ofDays(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACTOR = "system:ocsp";

    /** A responder ready to sign. */
    record Signer(String ca, X509CertificateHolder certificate, KeyHandle key) {
        Instant notAfter() {
            return certificate.getNotAfter().toInstant();
        }
    }

    private record Pointer(String serial, String keyRef) {
    }

    private final Store store;
    private final KeyVaults vaults;
    private final Clock clock;
    private final Map<String, Signer> current = new ConcurrentHashMap<>();

    OcspSigners(Store store, KeyVaults vaults, Clock clock) {
        this.store = store;
        this.vaults = vaults;
        this.clock = clock;
    }

    Signer get(CertificateAuthority ca) {
        Signer s = current.get(ca.name());
        if (s != null && !due(s)) {
            return s;
        }
        synchronized (this) {
            s = current.get(ca.name());
            if (s == null || due(s)) {
                s = load(ca);              // another node may have rotated it already
                if (s == null || due(s)) {
                    s = issue(ca);
                }
                current.put(ca.name(), s);
            }
            return s;
        }
    }

    /** For the scheduler: rotate responders in time, so no request waits for a key to be made. */
    void rotateDue(List<CertificateAuthority> cas) {
        for (CertificateAuthority ca : cas) {
            Signer s = current.get(ca.name());
            if (s != null && due(s)) {
                get(ca);
            }
        }
    }

    private boolean due(Signer s) {
        return !clock.instant().plus(ROTATE_BEFORE).isBefore(s.notAfter());
    }

    private Signer load(CertificateAuthority ca) {
        return store.inTransaction(tx -> tx.config().get(key(ca.name())).flatMap(json -> {
            Pointer p = parse(json);
            return tx.certificates().find(p.serial()).filter(c -> c.revocation() == null)
                    .map(c -> new Signer(ca.name(), Pem.holder(c.der()), vaults.open(p.keyRef())));
        })).orElse(null);
    }

    private Signer issue(CertificateAuthority ca) {
        X509CertificateHolder caCert = ca.holder();
        Instant now = clock.instant();
        Instant notAfter = Profiles.OCSP_RESPONDER.validity().notAfter(now);
        if (notAfter.isAfter(caCert.getNotAfter().toInstant())) {
            notAfter = caCert.getNotAfter().toInstant();
        }
        KeyHandle key = vaults.generate(null, ca.name() + "-ocsp", ca.algorithm());
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "OCSP Responder " + ca.name()).build();
        var template = new CertificateTemplate(subject, SubjectPublicKeyInfo.getInstance(key.publicKey().getEncoded()), now, notAfter,
                Profiles.OCSP_RESPONDER, null, List.of(), null, List.of(Publishing.ocspNoCheck()));
        X509CertificateHolder cert = CertificateAssembler.sign(template, caCert, vaults.open(ca.keyRef()));
        CertificateRecord record = CertificateRecord.of(cert, ca.name(), Profiles.OCSP_RESPONDER.name(), null, now);
        String pointer = toJson(new Pointer(record.serial(), key.ref()));
        store.run(tx -> {
            tx.certificates().insert(record);
            tx.config().put(key(ca.name()), pointer);
            tx.audit().append(ACTOR, AuditEvent.of("cert.issue", record.serial(), "ca", ca.name(), "profile", Profiles.OCSP_RESPONDER.name(),
                    "subject", record.subject(), "key", key.ref(), "sha256", record.fingerprint()), now);
        });
        return new Signer(ca.name(), cert, key);
    }

    private static String key(String ca) {
        return "ocsp.responder." + ca;
    }

    private static Pointer parse(String json) {
        try {
            return JSON.readValue(json, Pointer.class);
        } catch (Exception e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "unreadable OCSP responder setting: " + e.getMessage(), e);
        }
    }

    private static String toJson(Pointer p) {
        try {
            return JSON.writeValueAsString(p);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
