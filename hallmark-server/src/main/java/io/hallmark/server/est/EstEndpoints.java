package io.hallmark.server.est;

import io.hallmark.core.Hallmark;
import io.hallmark.core.enroll.EnrollmentLabel;
import io.hallmark.core.enroll.EnrollmentRequest;
import io.hallmark.core.enroll.EnrollmentRequest.Purpose;
import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.enroll.EnrollmentService;
import io.hallmark.core.crypto.CsrAttributes;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.server.http.Exchange;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.RateLimiter;
import io.hallmark.server.http.Router;

import java.util.List;
import java.util.Map;

/**
 * RFC 7030 under {@code /.well-known/est/} and {@code /.well-known/est/<label>/}: cacerts, simpleenroll,
 * simplereenroll, csrattrs and serverkeygen, with the content types, base64 transfer encoding and status
 * codes the RFC gives, so that stock clients (curl + openssl, libest, BouncyCastle) work unchanged.
 */
public final class EstEndpoints {

    static final String PREFIX = "/.well-known/est";
    static final int MAX_BODY = 32 * 1024; // base64 of the largest CSR Hallmark accepts, with room to spare
    static final String CERTS_ONLY = "application/pkcs7-mime; smime-type=certs-only";

    private final Hallmark hallmark;
    private final EnrollmentService enrollment;
    private final EstLabels labels;
    private final MigratedDevices migrated;
    private final RateLimiter limiter;

    public EstEndpoints(Hallmark hallmark, EnrollmentService enrollment, EstLabels labels) {
        this(hallmark, enrollment, labels, new RateLimiter("EST", RateLimiter.Limit.OFF));
    }

    /**
     * @param limiter charged once per enrollment (simpleenroll, simplereenroll, serverkeygen; cacerts and csrattrs are
     *                cheap reads): to the TLS client certificate presented, else to the address. A refused enrollment
     *                is charged to the address too, and an address whose allowance refusals spent is turned away before
     *                anything is parsed, so inventing a certificate per connection buys nothing
     */
    public EstEndpoints(Hallmark hallmark, EnrollmentService enrollment, EstLabels labels, RateLimiter limiter) {
        this.limiter = limiter;
        this.hallmark = hallmark;
        this.enrollment = enrollment;
        this.labels = labels;
        this.migrated = new MigratedDevices(hallmark);
    }

    public void register(Router router) {
        for (String base : List.of(PREFIX, PREFIX + "/{label}")) {
            router.add("GET", base + "/cacerts", this::cacerts);
            router.add("GET", base + "/csrattrs", this::csrattrs);
            router.add("POST", base + "/simpleenroll", x -> enroll(x, Purpose.ENROLL));
            router.add("POST", base + "/simplereenroll", x -> enroll(x, Purpose.RENEW));
            router.add("POST", base + "/serverkeygen", x -> enroll(x, Purpose.SERVER_KEYGEN));
        }
    }

    private EnrollmentLabel label(Exchange x) {
        requireTls(x);
        return labels.get(x.param("label"));
    }

    /**
     * RFC 7030 §4.1.3: the label's CA chain, issuing CA first, current root last; during a root rollover also the
     * root key update certificates (NewWithOld, OldWithNew, OldWithOld), so a device that trusts either root can
     * build a path and learn the new one. A device a migration policy moved (known by its TLS client certificate)
     * gets the chain of the CA of its newest certificate on the label's route or a policy's target.
     */
    private void cacerts(Exchange x) {
        EnrollmentLabel label = label(x);
        List<byte[]> chain = hallmark.cas().caCertificates(migrated.issuingCa(label, x.clientChain()));
        x.header("Content-Transfer-Encoding", "base64");
        x.send(200, "application/pkcs7-mime", Pkcs7.base64(Pkcs7.certsOnly(chain)));
    }

    /**
     * RFC 7030 §4.5 (with RFC 8951 and RFC 9908 §3): what the CSR should carry: the key a migration policy asks of
     * the device (known by its TLS client certificate; without one, what the label's policy asks), else a P-256 key;
     * the signature algorithm, the device serialNumber.
     */
    private void csrattrs(Exchange x) {
        EnrollmentLabel label = label(x);
        x.header("Content-Transfer-Encoding", "base64");
        x.send(200, "application/csrattrs", Pkcs7.base64(CsrAttributes.encode(migrated.keyToMake(label, x.clientChain()))));
    }

    private void enroll(Exchange x, Purpose purpose) {
        EnrollmentLabel label = label(x);
        String refusals = RateLimiter.refusals(x);
        limiter.refuseExhausted(refusals);
        limiter.acquire(x.clientChain().isEmpty() ? RateLimiter.address(x) : RateLimiter.certificate(x.clientChain().getFirst()));
        EstRequest request = EstRequest.read(x.header("Content-Type"), x.header("Content-Transfer-Encoding"), x.header("Authorization"),
                x.body(MAX_BODY));
        EnrollmentService.Enrolled result;
        try {
            result = enrollment.enroll(new EnrollmentRequest(label.route(), label.policy(), purpose, request.csr(), evidence(x, request), label.name()));
        } catch (HallmarkException e) {
            if (e.kind() == HallmarkException.Kind.UNAUTHENTICATED || e.kind() == HallmarkException.Kind.FORBIDDEN) {
                limiter.charge(refusals);
            }
            if (e.kind() == HallmarkException.Kind.UNAUTHENTICATED) {
                // RFC 9110: a 401 names a scheme the client can answer; HTTP Basic exists only with bootstrap on.
                if (label.allowBootstrap()) {
                    throw new HttpError(401, e.getMessage(), Map.of("WWW-Authenticate", "Basic realm=\"hallmark-est\""));
                }
                throw new HttpError(403, e.getMessage());
            }
            throw e;
        }
        byte[] p7 = Pkcs7.certsOnly(List.of(result.issued().certificate().der()));
        if (purpose == Purpose.SERVER_KEYGEN) {
            ServerKeygenBody body = ServerKeygenBody.of(result.generatedKey(), p7);
            x.send(200, body.contentType(), body.bytes());
        } else {
            x.header("Content-Transfer-Encoding", "base64");
            x.send(200, CERTS_ONLY, Pkcs7.base64(p7));
        }
    }

    /** RFC 7030 §3.3: the TLS client certificate and HTTP Basic (§3.2.3), whichever the client presented. */
    private static List<Evidence> evidence(Exchange x, EstRequest request) {
        List<Evidence> evidence = new java.util.ArrayList<>(2);
        if (!x.clientChain().isEmpty()) evidence.add(new Evidence.ClientCertificateChain(x.clientChain()));
        if (request.basic() != null) evidence.add(request.basic());
        return evidence;
    }

    static void requireTls(Exchange x) {
        if (!x.secure()) {
            throw new HttpError(403, "EST is served over HTTPS only");
        }
    }
}
