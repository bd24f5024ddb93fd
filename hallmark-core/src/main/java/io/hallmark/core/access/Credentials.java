package io.hallmark.core.access;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Store;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Creates and checks the credentials of REST callers and bootstrapping devices. */
public final class Credentials {

    public static final String API_PREFIX = "hmk";
    /** One-time enrollment tokens ({@link #createEnrollmentToken}), which the EST bootstrap authorizer reads. */
    public static final String ENROLLMENT_PREFIX = "hme";
    /** An API token's life unless the caller asks otherwise: long enough for automation, short enough to age out. */
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofDays(90);

    private final Store store;
    private final Clock clock;

    public Credentials(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Creates an API token that expires after {@link #DEFAULT_TOKEN_TTL}. */
    public String createToken(Role role, String name, String actor) {
        return createToken(role, name, DEFAULT_TOKEN_TTL, actor);
    }

    /**
     * Creates an API token; the returned text is the only time the secret exists outside the caller.
     *
     * @param ttl how long it works; null for a token that never expires (service accounts)
     */
    public String createToken(Role role, String name, Duration ttl, String actor) {
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw HallmarkException.badInput("a token's lifetime must be positive");
        }
        Secrets.Issued issued = Secrets.issue(API_PREFIX);
        Instant now = clock.instant();
        Instant expires = ttl == null ? null : now.plus(ttl);
        Principal p = new Principal(issued.id(), name == null ? "token-" + issued.id() : name, role, Principal.Kind.TOKEN, issued.hash(), now, null, expires);
        store.run(tx -> {
            tx.credentials().insert(p);
            tx.audit().append(actor, AuditEvent.of("credential.create", p.id(), "kind", "token", "name", p.name(), "role", role.id(),
                    "expires", expires == null ? "never" : expires.toString()), now);
        });
        return issued.token();
    }

    /** Every API credential (tokens and operator certificates), oldest first; no secrets, only their hashes' existence. */
    public List<Principal> list() {
        return store.read(tx -> tx.credentials().all());
    }

    /**
     * Revokes an API token or an operator certificate registration by its id; its next request gets 401.
     *
     * @throws HallmarkException NOT_FOUND for an unknown id, CONFLICT if already revoked
     */
    public Principal revoke(String id, String actor) {
        Instant now = clock.instant();
        return store.inTransaction(tx -> {
            Principal p = tx.credentials().find(id).orElseThrow(() -> HallmarkException.notFound("no API credential with id '" + id + "'"));
            if (!tx.credentials().revoke(id, now)) {
                throw HallmarkException.conflict("API credential " + id + " (" + p.name() + ") was already revoked at " + p.revokedAt());
            }
            tx.audit().append(actor, AuditEvent.of("credential.revoke", id, "kind", p.kind().name().toLowerCase(java.util.Locale.ROOT), "name", p.name()), now);
            return tx.credentials().find(id).orElseThrow();
        });
    }

    /** Lets the holder of this client certificate (issued by clients-ca) call the API with {@code role}. */
    public Principal registerCertificate(X509Certificate cert, Role role, String name, String actor) {
        Instant now = clock.instant();
        Principal p = new Principal(fingerprint(cert), name, role, Principal.Kind.CERTIFICATE, null, now, null, null);
        store.run(tx -> {
            tx.credentials().insert(p);
            tx.audit().append(actor, AuditEvent.of("credential.create", p.id(), "kind", "certificate", "name", name, "role", role.id()), now);
        });
        return p;
    }

    /**
     * Checked on every request, from the store, so a revocation or expiry takes effect on every node at once.
     *
     * @throws HallmarkException UNAUTHENTICATED for a malformed, unknown, revoked or expired token
     */
    public Principal authenticateToken(String bearer) {
        var presented = Secrets.parse(API_PREFIX, bearer).orElseThrow(() -> HallmarkException.unauthenticated("malformed API token"));
        Principal p = store.read(tx -> tx.credentials().find(presented.id()))
                .filter(found -> found.kind() == Principal.Kind.TOKEN && Secrets.matches(presented.secret(), found.secretHash()))
                .orElseThrow(() -> HallmarkException.unauthenticated("unknown API token"));
        String unusable = p.unusableReason(clock.instant());
        if (unusable != null) {
            throw HallmarkException.unauthenticated("API token " + p.id() + " " + unusable);
        }
        return p;
    }

    /**
     * The principal registered for this (already chain-validated) client certificate, if any. The certificate's
     * own record is read on every request too: a revoked or expired operator certificate is refused at once,
     * on every node, as OCSP would answer it.
     *
     * @throws HallmarkException UNAUTHENTICATED when the registration or the certificate is revoked, or it expired
     */
    public Optional<Principal> authenticateCertificate(X509Certificate cert) {
        Instant now = clock.instant();
        String serial = Serials.hex(cert.getSerialNumber());
        record Found(Optional<Principal> principal, Optional<CertificateRecord> record) { }
        Found found = store.read(tx -> new Found(tx.credentials().find(fingerprint(cert)), tx.certificates().find(serial)));
        Optional<Principal> principal = found.principal().filter(p -> p.kind() == Principal.Kind.CERTIFICATE);
        if (principal.isEmpty()) {
            return Optional.empty();
        }
        String unusable = principal.get().unusableReason(now);
        if (unusable != null) {
            throw HallmarkException.unauthenticated("operator credential " + principal.get().name() + " " + unusable);
        }
        ClientCertificates.requireCurrent(found.record().orElse(null), serial, "operator certificate", now, HallmarkException::unauthenticated);
        return principal;
    }

    /** A one-time token for a device without an IDevID; use it as the HTTP Basic password, the device id as user. */
    public String createEnrollmentToken(String deviceId, Duration ttl, String actor) {
        Secrets.Issued issued = Secrets.issue(ENROLLMENT_PREFIX);
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
