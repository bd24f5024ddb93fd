package io.hallmark.core.enroll;

import io.hallmark.core.authorize.Grant;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.CheckedCsr;
import io.hallmark.core.issue.Confirmation;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.issue.Issuer;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.store.Store;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one enrollment path every protocol front end calls: ask the authorizer chain who the caller is,
 * check that the CSR asks only for that caller's identity, then issue through the {@link Issuer}.
 */
public final class EnrollmentService {

    /**
     * @param generatedKey for server-side key generation, the new private key as PKCS#8 DER; else null
     */
    public record Enrolled(IssuedCertificate issued, byte[] generatedKey) {
    }

    private final Issuer issuer;
    private final Supplier<Profiles> profiles;
    private final List<EnrollmentAuthorizer> authorizers;
    private final io.hallmark.core.telemetry.EventLog events;
    private final KeyRouting routing;
    private final Clock clock;

    /**
     * @param profiles the profiles in force, asked on every request (a hierarchy's {@code init} may replace them)
     * @param events   where enrollments and refused authentications are recorded; null for nowhere
     */
    public EnrollmentService(Issuer issuer, Supplier<Profiles> profiles, List<EnrollmentAuthorizer> authorizers,
                             io.hallmark.core.telemetry.EventLog events) {
        this(issuer, profiles, authorizers, events, KeyRouting.NONE, Clock.systemUTC());
    }

    /** @param routing key migration policies: which CA and profile certify a key, or why it is refused */
    public EnrollmentService(Issuer issuer, Supplier<Profiles> profiles, List<EnrollmentAuthorizer> authorizers,
                             io.hallmark.core.telemetry.EventLog events, KeyRouting routing, Clock clock) {
        this.issuer = issuer;
        this.profiles = profiles;
        this.authorizers = List.copyOf(authorizers);
        this.events = events;
        this.routing = routing;
        this.clock = clock;
    }

    /**
     * An imported certificate where the label accepts its CA, re-enrollment by LDevID, enrollment by IDevID, bootstrap by
     * one-time token: in that order. The first declines anything not chaining to a CA the label lists as imported, so it
     * changes nothing on labels without one.
     */
    public static EnrollmentService standard(CaService cas, Issuer issuer, Supplier<Profiles> profiles, Store store, Clock clock) {
        return standard(cas, issuer, profiles, store, clock, KeyRouting.NONE);
    }

    /** As above, with key migration policies deciding where keys go (and whose certificates re-enroll on a route). */
    public static EnrollmentService standard(CaService cas, Issuer issuer, Supplier<Profiles> profiles, Store store, Clock clock,
                                             KeyRouting routing) {
        return new EnrollmentService(issuer, profiles, List.of(
                new ImportedCertificateAuthorizer(cas, store, clock),
                new ReenrollAuthorizer(cas, store, clock, routing),
                new IdevidAuthorizer(cas, store),
                new TokenAuthorizer(store, clock)), new io.hallmark.core.telemetry.EventLog(store, clock), routing, clock);
    }

    public Enrolled enroll(EnrollmentRequest request) {
        // The CSR must at least be well formed and signed before any authorizer spends effort (or a token). A key a
        // migration policy asks for may be one only the policy's target profile allows: checked against that too.
        List<Route> targets = routing.targets(request.label(), request.route());
        CheckedCsr csr;
        HallmarkException routeRefusal = null;
        try {
            csr = CheckedCsr.check(request.csr(), profiles.get().get(request.route().profile()));
        } catch (HallmarkException e) {
            if (e.kind() != HallmarkException.Kind.BAD_INPUT || targets.isEmpty()) throw e;
            routeRefusal = e;
            csr = checkedByTarget(request.csr(), targets, e);
        }
        if (request.purpose() == EnrollmentRequest.Purpose.SERVER_KEYGEN) {
            KeyAlgorithm.toGenerateLike(csr.keyDescription()); // a type that cannot be made is refused before any authorizer runs
        }
        Grant grant;
        try {
            grant = authorize(request);
            checkNames(request, csr, grant);
        } catch (HallmarkException e) {
            if (events != null && (e.kind() == HallmarkException.Kind.UNAUTHENTICATED || e.kind() == HallmarkException.Kind.FORBIDDEN)) {
                events.record(io.hallmark.core.store.EventType.AUTH_FAILURE, null, request.route() == null ? "enroll"
                        : "enroll:" + request.route().ca() + "/" + request.route().profile(), "failed", e.getMessage());
            }
            throw e;
        }
        Route route = request.route();
        Confirmation confirmation = grant.confirmation();
        switch (routing.decide(request.label(), route, grant.deviceId(), csr.keyDescription())) {
            case KeyRouting.Decision.Refuse(String reason) -> throw HallmarkException.badInput(reason);
            case KeyRouting.Decision.Keep() -> {
                if (routeRefusal != null) throw routeRefusal; // only a policy's profile took the key, and no policy covers the device
            }
            case KeyRouting.Decision.Move(Route to, long policyId) -> {
                route = to;
                csr = CheckedCsr.check(request.csr(), profiles.get().get(to.profile()));
                confirmation = superseding(request, confirmation, grant.actor(), to, csr.keyDescription(), policyId);
            }
        }
        // RFC 7030 §4.4.1: for serverkeygen the CSR's key says which type of key to make (its values are not used).
        KeyAlgorithm toGenerate = request.purpose() == EnrollmentRequest.Purpose.SERVER_KEYGEN
                ? KeyAlgorithm.toGenerateLike(csr.keyDescription()) : null;
        byte[] csrBytes = request.csr();
        KeyPair generated = null;
        if (toGenerate != null) {
            // The CSR names the subject; the key certified is the new one, which the Issuer checks against
            // the profile's key policy like any other.
            generated = toGenerate.generate();
            csrBytes = Csrs.create(generated, toGenerate, csr.subject());
        }
        IssuedCertificate issued = issuer.issue(new IssuanceRequest(route.ca(), route.profile(),
                csrBytes, grant.deviceId(), grant.hardware(), grant.actor(), List.of(), confirmation), enrolledEvent(request, grant));
        return new Enrolled(issued, generated == null ? null : generated.getPrivate().getEncoded());
    }

    /**
     * The enrollment's event, written in the transaction that records its certificate (a second transaction cost
     * every enrollment another commit and fsync, a twentieth of the server's work per enrollment); nothing when the
     * service records no events, or when the certificate is refused.
     */
    private io.hallmark.core.issue.IssuanceRecorder.Alongside enrolledEvent(EnrollmentRequest request, Grant grant) {
        if (events == null) return (tx, outcomes) -> { };
        var type = request.purpose() == EnrollmentRequest.Purpose.RENEW ? io.hallmark.core.store.EventType.REENROLLMENT
                : io.hallmark.core.store.EventType.ENROLLMENT;
        String detail = request.purpose().name().toLowerCase(java.util.Locale.ROOT);
        return (tx, outcomes) -> {
            for (var outcome : outcomes) {
                String serial = switch (outcome) {
                    case io.hallmark.core.issue.IssuanceRecorder.Outcome.Recorded(var c) -> c.serial();
                    case io.hallmark.core.issue.IssuanceRecorder.Outcome.Replayed(var c) -> c.serial();
                    case io.hallmark.core.issue.IssuanceRecorder.Outcome.Refused r -> null;
                };
                if (serial != null) tx.events().append(new io.hallmark.core.store.Event(clock.instant(), type, grant.deviceId(), serial, "ok", detail, 1));
            }
        };
    }

    /** The CSR checked against the first target profile that takes it; else the route profile's refusal stands. */
    private CheckedCsr checkedByTarget(byte[] csr, List<Route> targets, HallmarkException routeRefusal) {
        for (Route target : targets) {
            try {
                return CheckedCsr.check(csr, profiles.get().get(target.profile()));
            } catch (HallmarkException e) {
                if (e.kind() != HallmarkException.Kind.BAD_INPUT) throw e;
            }
        }
        throw routeRefusal;
    }

    /**
     * A device that moves at re-enrollment leaves its old certificate behind: revoked (superseded) in the transaction
     * that records the new one, so a migrated device holds no current certificate on the old algorithm. A device that
     * moved before renews as any device does: the certificate it renews with stays until it expires.
     */
    private Confirmation superseding(EnrollmentRequest request, Confirmation spent, String actor, Route to, String algorithm, long policyId) {
        if (request.purpose() != EnrollmentRequest.Purpose.RENEW) return spent;
        var presented = request.evidence(io.hallmark.core.authorize.Evidence.ClientCertificateChain.class);
        if (presented.isEmpty()) return spent;
        String serial = io.hallmark.core.crypto.Serials.hex(presented.get().leaf().getSerialNumber());
        return (tx, fresh) -> {
            int covered = spent.confirm(tx, fresh);
            var old = tx.certificates().find(serial);
            boolean moved = old.isPresent() && old.get().caName().equals(to.ca()) && old.get().profile().equals(to.profile())
                    && algorithm.equals(keyDescription(old.get(), to.profile()));
            if (fresh > 0 && covered > 0 && !moved) {
                io.hallmark.core.revoke.Revoker.supersede(tx, serial, clock.instant(), actor + " (migration policy " + policyId + ")");
            }
            return covered;
        };
    }

    /** The certificate's key as the profile's key policy describes it; null if the policy refuses it. */
    private String keyDescription(io.hallmark.core.store.CertificateRecord cert, String profile) {
        try {
            return profiles.get().get(profile).keys().check(org.bouncycastle.asn1.x509.Certificate.getInstance(cert.der()).getSubjectPublicKeyInfo());
        } catch (HallmarkException | IllegalArgumentException e) {
            return null;
        }
    }

    private Grant authorize(EnrollmentRequest request) {
        for (EnrollmentAuthorizer a : authorizers) {
            Optional<Grant> grant = a.authorize(request);
            if (grant.isPresent()) {
                return grant.get();
            }
        }
        if (request.purpose() == EnrollmentRequest.Purpose.RENEW) {
            throw HallmarkException.unauthenticated("re-enrollment needs the current certificate as the TLS client certificate");
        }
        throw HallmarkException.unauthenticated(request.policy().allowBootstrap()
                ? "present an IDevID as the TLS client certificate, or a one-time enrollment token with HTTP Basic"
                : "present an IDevID as the TLS client certificate");
    }

    /** A device gets its own name and nothing else: no other device's serial number or hardware name. */
    private static void checkNames(EnrollmentRequest request, CheckedCsr csr, Grant grant) {
        if (grant.exactSubject() != null) {
            if (!grant.exactSubject().equals(csr.subject())) {
                throw HallmarkException.forbidden("re-enrollment keeps the subject: the CSR asks for '" + csr.subject()
                        + "', the current certificate is '" + grant.exactSubject() + "'");
            }
            return;
        }
        String asked = Issuer.serialNumberOf(csr.subject());
        if (asked != null && !asked.equals(grant.deviceId())) {
            throw HallmarkException.forbidden("the CSR asks for device " + asked + "'s identity, but the client is device " + grant.deviceId());
        }
        HardwareModuleName askedHw = requestedHardwareModuleName(request.csr());
        if (askedHw != null && !askedHw.equals(grant.hardware())) {
            throw HallmarkException.forbidden("the CSR asks for a hardwareModuleName that is not this device's");
        }
    }

    private static HardwareModuleName requestedHardwareModuleName(byte[] csr) {
        try {
            Extensions ext = new PKCS10CertificationRequest(io.hallmark.core.crypto.Pem.derOf(csr, "CERTIFICATE REQUEST")).getRequestedExtensions();
            GeneralNames san = ext == null ? null : GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
            if (san == null) return null;
            for (GeneralName name : san.getNames()) {
                Optional<HardwareModuleName> hw = HardwareModuleName.from(name);
                if (hw.isPresent()) return hw.get();
            }
            return null;
        } catch (IOException | IllegalArgumentException e) {
            throw HallmarkException.badInput("unreadable extension request in the CSR");
        }
    }

}
