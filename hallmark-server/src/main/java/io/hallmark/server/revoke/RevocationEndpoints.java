package io.hallmark.server.revoke;

import io.hallmark.core.Hallmark;
import io.hallmark.core.revoke.CrlPublisher;
import io.hallmark.core.revoke.OcspResponder;
import io.hallmark.server.http.Exchange;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.Router;

/**
 * OCSP (RFC 6960, POST and GET) and CRLs and CA certificates (RFC 5280 CDP and AIA targets), served
 * over plain HTTP as relying parties expect: the responses are signed, so TLS adds nothing but a
 * bootstrapping problem. OCSP answers are always 200 with a DER OCSPResponse, errors included. Answers to GET
 * and CRLs say how long HTTP caches may keep them ({@link HttpCaching}).
 */
public final class RevocationEndpoints {

    private static final String OCSP_REQUEST = "application/ocsp-request";
    static final String OCSP_RESPONSE = "application/ocsp-response";
    static final int MAX_OCSP_REQUEST = 16 * 1024;

    private final OcspResponder ocsp;
    private final CrlPublisher crls;
    private final HttpCaching caching;

    public RevocationEndpoints(Hallmark hallmark) {
        // Looked up once: per-request calls to the facade's synchronized accessors would serialise OCSP.
        this.ocsp = hallmark.ocsp();
        this.crls = hallmark.crlPublisher();
        this.caching = caching(hallmark);
    }

    /** The caching headers of OCSP GET answers and CRLs, as the publication setting says (both listeners make one). */
    public static HttpCaching caching(Hallmark hallmark) {
        return new HttpCaching(hallmark.publication(), hallmark.clock());
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
        caching.sendOcspGet(x, ocsp.respond(OcspGetRequest.der(encodedRequest(x))));
    }

    /** What follows {@code /ocsp/} in the path as sent (still percent-encoded: '/' and '+' are base64 there). */
    static String encodedRequest(Exchange x) {
        String raw = x.rawPath();
        return raw.substring(raw.indexOf("/ocsp/") + "/ocsp/".length());
    }

    private void crl(Exchange x) {
        // HTTP caches keep it for the cache window at most: its nextUpdate is days away, and revocations come before.
        caching.sendCrl(x, crls.crl(x.param("file")));
    }
}
