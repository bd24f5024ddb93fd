package io.hallmark.core.access;

import io.hallmark.core.HallmarkException;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.enroll.TokenAuthorizer;
import io.hallmark.core.store.Store;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Creates and checks the credentials of REST callers and bootstrapping devices. */
public final class Credentials {

    public static final String API_PREFIX = "hmk";

    private final Store store;
    private final Clock clock;

    public Credentials(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Creates an API token; the returned text is the only time the secret exists outside the caller. */
    public String createToken(Role role, String name, String actor) {
        Secrets.Issued issued = Secrets.issue(API_PREFIX);
        Instant now = clock.instant();
        Principal p = new Principal(issued.id(), name == null ? "token-" + issued.id() : name, role, Principal.Kind.TOKEN, issued.hash(), now, null);
        store.run(tx -> {
            tx.credentials().insert(p);
            tx.audit().append(actor, AuditEvent.of("credential.create", p.id(), "kind", "token", "name", p.name(), "role", role.id()), now);
        });
        return issued.token();
    }

    /** Lets the holder of this client certificate (issued by clients-ca) call the API with {@code role}. */
    public Principal registerCertificate(X509Certificate cert, Role role, String name, String actor) {
        Instant now = clock.instant();
        Principal p = new Principal(fingerprint(cert), name, role, Principal.Kind.CERTIFICATE, null, now, null);
        store.run(tx -> {
            tx.credentials().insert(p);
            tx.audit().append(actor, AuditEvent.of("credential.create", p.id(), "kind", "certificate", "name", name, "role", role.id()), now);
        });
        return p;
    }

    public Principal authenticateToken(String bearer) {
        var presented = Secrets.parse(API_PREFIX, bearer).orElseThrow(() -> HallmarkException.unauthenticated("malformed API token"));
        return store.read(tx -> tx.credentials().find(presented.id()))
                .filter(p -> p.kind() == Principal.Kind.TOKEN && p.revokedAt() == null && Secrets.matches(presented.secret(), p.secretHash()))
                .orElseThrow(() -> HallmarkException.unauthenticated("unknown or revoked API token"));
    }

    /** The principal registered for this (already chain-validated) client certificate, if any. */
    public Optional<Principal> authenticateCertificate(X509Certificate cert) {
        return store.read(tx -> tx.credentials().find(fingerprint(cert)))
                .filter(p -> p.kind() == Principal.Kind.CERTIFICATE && p.revokedAt() == null);
    }

    /** A one-time token for a device without an IDevID; use it as the HTTP Basic password, the device id as user. */
    public String createEnrollmentToken(String deviceId, Duration ttl, String actor) {
        Secrets.Issued issued = Secrets.issue(TokenAuthorizer.PREFIX);
        Instant now = clock.instant();
        store.run(tx -> {
            tx.credentials().insertEnrollmentToken(issued.id(), deviceId, issued.hash(), now.plus(ttl), now);
            tx.audit().append(actor, AuditEvent.of("credential.create", issued.id(), "kind", "enrollment-token", "device", deviceId,
                    "expires", now.plus(ttl).toString()), now);
        });
        return issued.token();
    }

    private static String fingerprint(X509Certificate cert) {
        try {
            return Fingerprints.sha256Hex(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw HallmarkException.badInput("unreadable certificate");
        }
    }
}
