package io.hallmark.server;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.revoke.OcspResponder;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.server.http.Router;
import io.hallmark.server.revoke.OcspFastPath;
import io.hallmark.server.revoke.OcspGetRequest;
import io.hallmark.server.revoke.RevocationEndpoints;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OCSP over the plain HTTP listener, where {@link OcspFastPath} answers cached requests on the I/O thread:
 * the answers and refusals must be those the router gives (here over HTTPS, which has no fast path), and
 * OpenSSL as the client must accept them.
 */
class OcspHttpTest {

    @TempDir
    static Path dir;
    static ServerFixture f;
    static HttpClient plain;
    static HttpClient tls;
    static SSLContext trustRoot;
    static final AtomicInteger files = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        Peers.tool("openssl");
        f = ServerFixture.start(dir);
        Files.writeString(dir.resolve("idevid-ca.pem"), Pem.certificate(f.hallmark.cas().get("idevid-ca").certificate()));
        plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", TestTls.certificate(f.root));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trustRoot = SSLContext.getInstance("TLS");
        trustRoot.init(null, tmf.getTrustManagers(), null);
        tls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trustRoot).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    @Test
    void cachedAnswersComeFromTheIoThreadAndEqualTheRoutersAnswer() throws Exception {
        Path cert = f.idevid("SN-OCSP-CACHE")[0];
        byte[] req = request(cert, "-no_nonce");
        // A server with the fast path alone and an executor that counts what is handed to a (virtual) thread.
        AtomicInteger handOffs = new AtomicInteger();
        var virtual = Executors.newVirtualThreadPerTaskExecutor();
        Router router = new Router();
        new RevocationEndpoints(f.hallmark).register(router);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(PlainListener.configuration()));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new OcspFastPath(f.hallmark.ocsp(), router, task -> {
            handOffs.incrementAndGet();
            virtual.execute(task);
        }, RevocationEndpoints.caching(f.hallmark)));
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
            byte[] first = post(plain, base, req, "application/ocsp-request").body();
            assertEquals(1, handOffs.get(), "a cache miss reads the store on a thread");
            long signatures = f.hallmark.ocsp().stats().signatures();
            OcspResponder.Stats before = f.hallmark.ocsp().stats();
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(first, post(plain, base, req, "application/ocsp-request").body());
                assertArrayEquals(first, plain.send(get(base, urlEncoded(req)), HttpResponse.BodyHandlers.ofByteArray()).body());
            }
            assertEquals(1, handOffs.get(), "cached answers are written where the request was parsed");
            OcspResponder.Stats after = f.hallmark.ocsp().stats();
            assertEquals(signatures, after.signatures());
            assertEquals(before.requests() + 10, after.requests());
            assertEquals(before.preProducedHits() + 10, after.preProducedHits());

            assertEquals(200, post(plain, base, "garbage".getBytes(StandardCharsets.US_ASCII), "application/ocsp-request").statusCode());
            assertEquals(1, handOffs.get(), "a malformed request is refused in place");
            assertEquals(200, post(plain, base, request(cert, "-nonce"), "application/ocsp-request").statusCode());
            assertEquals(2, handOffs.get(), "a nonce needs a signature, made on a thread");
            assertEquals(404, plain.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(3, handOffs.get(), "anything else goes to the router on a thread");

            // The same bytes from the real server's plain listener and from the router over HTTPS.
            assertArrayEquals(first, post(plain, f.server.httpUri(), req, "application/ocsp-request").body());
            assertArrayEquals(first, post(tls, f.server.httpsUri(), req, "application/ocsp-request").body());
        } finally {
            server.stop();
            virtual.close();
        }
        assertTrue(openssl(cert, "-no_nonce").contains(cert.getFileName() + ": good"));
    }

    @Test
    void refusalsAreTheRoutersOnBothListeners() throws Exception {
        byte[] req = request(f.idevid("SN-OCSP-REFUSE")[0], "-no_nonce");
        for (URI base : new URI[]{f.server.httpUri(), f.server.httpsUri()}) {
            HttpResponse<byte[]> wrongType = once(post(base, req, "application/octet-stream"), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(415, wrongType.statusCode());
            assertEquals("Content-Type must be application/ocsp-request\n", new String(wrongType.body(), StandardCharsets.UTF_8));

            HttpResponse<byte[]> declaredTooLarge = once(post(base, new byte[16 * 1024 + 1], "application/ocsp-request"), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(413, declaredTooLarge.statusCode(), base.toString());
            // Without Content-Length (chunked) the limit is found while reading.
            HttpRequest chunked = HttpRequest.newBuilder(base.resolve("/ocsp")).header("Content-Type", "application/ocsp-request")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[40_000]))).build();
            HttpResponse<String> streamedTooLarge = once(chunked, HttpResponse.BodyHandlers.ofString());
            assertEquals(413, streamedTooLarge.statusCode());
            assertEquals("request body is larger than the 16384 bytes accepted\n", streamedTooLarge.body());
            HttpRequest chunkedSmall = HttpRequest.newBuilder(base.resolve("/ocsp")).header("Content-Type", "application/ocsp-request")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(req))).build();
            assertEquals(OCSPRespBuilder.SUCCESSFUL, new OCSPResp(once(chunkedSmall, HttpResponse.BodyHandlers.ofByteArray()).body()).getStatus());

            // Within the HTTP limit but not an OCSP request: a 200 with malformedRequest, as RFC 6960 wants.
            for (byte[] bad : new byte[][]{new byte[0], "garbage".getBytes(StandardCharsets.US_ASCII), new byte[10_000],
                    java.util.Arrays.copyOf(req, req.length - 3)}) {
                HttpResponse<byte[]> r = once(post(base, bad, "application/ocsp-request"), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode());
                assertEquals("application/ocsp-response", r.headers().firstValue("Content-Type").orElse(""));
                assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, new OCSPResp(r.body()).getStatus());
            }
            assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, new OCSPResp(once(get(base, "bm90IGFuIE9DU1AgcmVxdWVzdA"),
                    HttpResponse.BodyHandlers.ofByteArray()).body()).getStatus());
            // Not quite the OCSP routes: the router's 405.
            assertEquals(405, once(get(base, ""), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(405, once(HttpRequest.newBuilder(base.resolve("/ocsp/abc")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void getFormsAnswerLikePost() throws Exception {
        Path cert = f.idevid("SN-OCSP-GET")[0];
        byte[] req = request(cert, "-no_nonce");
        byte[] posted = post(plain, f.server.httpUri(), req, "application/ocsp-request").body();
        String b64 = Base64.getEncoder().encodeToString(req);
        for (String encoded : new String[]{urlEncoded(req), b64, b64.replace("/", "%2F"), Base64.getUrlEncoder().encodeToString(req)}) {
            HttpResponse<byte[]> r = plain.send(get(f.server.httpUri(), encoded), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), encoded);
            assertArrayEquals(posted, r.body(), encoded);
        }
        // The router's GET (over HTTPS, where no fast path answers) gives the same bytes, '%2F' included.
        for (String encoded : new String[]{urlEncoded(req), b64, b64.replace("/", "%2F"), Base64.getUrlEncoder().encodeToString(req)}) {
            assertArrayEquals(posted, tls.send(get(f.server.httpsUri(), encoded), HttpResponse.BodyHandlers.ofByteArray()).body(), encoded);
        }
    }

    /** The GET form's decoding is the server's (moved here from the store's OcspInteropTest with the decoding). */
    @Test
    void theGetFormDecodesToTheDerRequestOrIsMalformed() throws Exception {
        OcspResponder ocsp = f.hallmark.ocsp();
        byte[] req = request(f.idevid("SN-OCSP-DECODE")[0], "-no_nonce");
        assertArrayEquals(req, OcspGetRequest.der(urlEncoded(req)));
        assertEquals(OCSPRespBuilder.SUCCESSFUL, new OCSPResp(ocsp.respond(OcspGetRequest.der(urlEncoded(req)))).getStatus());
        for (String encoded : new String[]{"%%%not-base64", "%4"}) {
            assertNull(OcspGetRequest.der(encoded), encoded);
            assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, new OCSPResp(ocsp.respond(OcspGetRequest.der(encoded))).getStatus(), encoded);
        }
    }

    @Test
    void aNonceGetsAFreshSignatureThatEchoesIt() throws Exception {
        Path cert = f.idevid("SN-OCSP-NONCE")[0];
        // OpenSSL as the client sends a nonce by default and checks that it comes back.
        String text = openssl(cert, "-nonce");
        assertTrue(text.contains(cert.getFileName() + ": good"), text);
        assertTrue(!text.contains("WARNING") && !text.contains("Nonce Verify error"), text);

        byte[] req = request(cert, "-nonce");
        long signatures = f.hallmark.ocsp().stats().signatures();
        for (int i = 1; i <= 2; i++) {
            BasicOCSPResp resp = (BasicOCSPResp) new OCSPResp(post(plain, f.server.httpUri(), req, "application/ocsp-request").body()).getResponseObject();
            assertNotNull(resp.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce));
            assertEquals(new OCSPReq(req).getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce), resp.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce));
            assertEquals(signatures + i, f.hallmark.ocsp().stats().signatures());
        }
    }

    @Test
    void revocationReachesTheNextAnswerAtOnce() throws Exception {
        Path cert = f.idevid("SN-OCSP-REVOKE")[0];
        byte[] req = request(cert, "-no_nonce");
        byte[] good = post(plain, f.server.httpUri(), req, "application/ocsp-request").body();
        for (int i = 0; i < 3; i++) { // from cache, then known by its bytes
            assertArrayEquals(good, post(plain, f.server.httpUri(), req, "application/ocsp-request").body());
        }
        String serial = TestTls.certificate(cert).getSerialNumber().toString(16);
        f.hallmark.revoker().revoke(serial, RevocationReason.keyCompromise, null, "test");
        assertNull(f.hallmark.ocsp().respondIfReady(req), "the cached answer is gone: the next one needs the store");

        String text = verify(cert, post(plain, f.server.httpUri(), req, "application/ocsp-request").body());
        assertTrue(text.contains(cert.getFileName() + ": revoked") && text.contains("keyCompromise"), text);
        text = verify(cert, plain.send(get(f.server.httpUri(), urlEncoded(req)), HttpResponse.BodyHandlers.ofByteArray()).body());
        assertTrue(text.contains(cert.getFileName() + ": revoked"), text);
        text = openssl(cert, "-nonce");
        assertTrue(text.contains(cert.getFileName() + ": revoked"), text);
    }

    @Test
    void answersAreCountedAndRefusalsLogged() throws Exception {
        byte[] req = request(f.idevid("SN-OCSP-LOG")[0], "-no_nonce");
        Path log = dir.resolve("logs/access.log");
        int before = Files.readAllLines(log).size();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(plain, f.server.httpUri(), req, "application/ocsp-request").statusCode());
        }
        assertEquals(415, post(plain, f.server.httpUri(), req, "text/plain").statusCode());
        java.util.List<String> added = java.util.List.of();
        for (int i = 0; i < 100 && added.stream().noneMatch(l -> l.contains("\"status\":415")); i++) {
            Thread.sleep(20); // the line is written as the exchange completes, just after the client has its answer
            java.util.List<String> lines = Files.readAllLines(log);
            added = lines.subList(before, lines.size());
        }
        assertEquals(1, added.size(), "only the refusal is logged: " + added);
        assertTrue(added.getFirst().contains("\"path\":\"/ocsp\""), added.getFirst());

        String token = f.hallmark.credentials().createToken(io.hallmark.core.principal.Role.AUDITOR, "ocsp-stats", "test");
        HttpResponse<String> stats = tls.send(HttpRequest.newBuilder(URI.create(f.server.httpsUri() + "/api/v1/ocsp/stats"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stats.statusCode(), stats.body());
        var counters = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stats.body());
        assertEquals(f.hallmark.ocsp().stats().requests(), counters.get("requests").asLong());
        assertTrue(counters.get("preProducedHits").asLong() >= 2, stats.body());
    }

    /** `openssl ocsp -reqout`: a request for the IDevID, SHA-1 CertID (OpenSSL's default). */
    private static byte[] request(Path cert, String nonce) throws Exception {
        Path out = dir.resolve("req-" + files.incrementAndGet() + ".der");
        var r = Peers.run(dir, "openssl", "ocsp", "-issuer", "idevid-ca.pem", "-cert", cert.toString(), nonce, "-reqout", out.toString());
        assertEquals(0, r.exit(), r.all());
        return Files.readAllBytes(out);
    }

    /** OpenSSL as the OCSP client of the plain listener (POST), verifying the response against the root. */
    private static String openssl(Path cert, String nonce) {
        var r = Peers.run(dir, "openssl", "ocsp", "-issuer", "idevid-ca.pem", "-cert", cert.toString(), nonce,
                "-url", f.server.httpUri() + "/ocsp", "-CAfile", f.root.toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.all().contains("Response verify OK"), r.all());
        return r.all();
    }

    private static String verify(Path cert, byte[] response) throws Exception {
        Path resp = dir.resolve("resp-" + files.incrementAndGet() + ".der");
        Files.write(resp, response);
        var r = Peers.run(dir, "openssl", "ocsp", "-respin", resp.toString(), "-issuer", "idevid-ca.pem", "-cert", cert.toString(),
                "-CAfile", f.root.toString(), "-no_nonce");
        assertTrue(r.all().contains("Response verify OK"), r.all());
        return r.all();
    }

    private static HttpResponse<byte[]> post(HttpClient client, URI base, byte[] body, String contentType) throws Exception {
        return client.send(post(base, body, contentType), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest post(URI base, byte[] body, String contentType) {
        return HttpRequest.newBuilder(base.resolve("/ocsp")).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** A new client for one request: after a refusal the server may close the connection, its body unread. */
    private static <T> HttpResponse<T> once(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws Exception {
        try (HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trustRoot).build()) {
            return c.send(request, handler);
        }
    }

    private static HttpRequest get(URI base, String encoded) {
        return HttpRequest.newBuilder(URI.create(base + "/ocsp/" + encoded)).build();
    }

    private static String urlEncoded(byte[] req) {
        return URLEncoder.encode(Base64.getEncoder().encodeToString(req), StandardCharsets.UTF_8);
    }
}
