package io.hallmark.server.revoke;

import io.hallmark.core.Hallmark;
import io.hallmark.core.revoke.CrlPublisher;
import io.hallmark.core.revoke.CrlService.GeneratedCrl;
import io.hallmark.core.revoke.OcspResponder;
import io.hallmark.server.http.Exchange;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.Router;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * OCSP (RFC 6960, POST and GET) and CRLs and CA certificates (RFC 5280 CDP and AIA targets), served
 * over plain HTTP as relying parties expect: the responses are signed, so TLS adds nothing but a
 * bootstrapping problem. OCSP answers are always 200 with a DER OCSPResponse, errors included.
 */
public final class RevocationEndpoints {

    private static final String OCSP_REQUEST = "application/ocsp-request";
    static final String OCSP_RESPONSE = "application/ocsp-response";
    static final int MAX_OCSP_REQUEST = 16 * 1024;

    private final OcspResponder ocsp;
    private final CrlPublisher crls;

    public RevocationEndpoints(Hallmark hallmark) {
        // Looked up once: per-request calls to the facade's synchronized accessors would serialise OCSP.
        this.ocsp = hallmark.ocsp();
        this.crls = hallmark.crlPublisher();
    }

    public void register(Router router) {
        router.add("POST", "/ocsp", this::post);
        router.add("GET", "/ocsp/{request...}", this::get);
        router.add("GET", "/crl/{file}", this::crl);
        router.add("GET", "/ca/{file}", x -> x.send(200, "application/pkix-cert", crls.caCertificate(x.param("file"))));
    }

    private void post(Exchange x) {
        if (!typed(x)) {
            throw new HttpError(415, "Content-Type must be " + OCSP_REQUEST);
        }
        x.send(200, OCSP_RESPONSE, ocsp.respond(x.body(MAX_OCSP_REQUEST))); // 413 beyond the limit
    }

    /** A POST whose Content-Type says OCSP request (else 415). */
    static boolean typed(Exchange x) {
        return OCSP_REQUEST.equals(x.contentType());
    }

    private void get(Exchange x) {
        x.send(200, OCSP_RESPONSE, ocsp.respond(OcspGetRequest.der(encodedRequest(x))));
    }

    /** What follows {@code /ocsp/} in the path as sent (still percent-encoded: '/' and '+' are base64 there). */
    static String encodedRequest(Exchange x) {
        String raw = x.rawPath();
        return raw.substring(raw.indexOf("/ocsp/") + "/ocsp/".length());
    }

    private void crl(Exchange x) {
        GeneratedCrl crl = crls.crl(x.param("file"));
        // Caches and brokers may keep it until the next one is due (RFC 5019-style freshness).
        long maxAge = Math.max(0, Duration.between(java.time.Instant.now(), crl.nextUpdate()).toSeconds());
        x.header("Cache-Control", "public, max-age=" + maxAge);
        x.header("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(crl.thisUpdate().atOffset(ZoneOffset.UTC)));
        x.header("Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(crl.nextUpdate().atOffset(ZoneOffset.UTC)));
        x.send(200, "application/pkix-crl", crl.der());
    }
}
