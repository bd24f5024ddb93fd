package io.hallmark.server;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.testing.Peers;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 5019 §6.2 caching headers on OCSP answers to GET and on CRLs, and conditional GET: the same from the plain
 * listener's fast path and from the router (over HTTPS); max-age bounded by both the publication's cache window and
 * the answer's nextUpdate; refusals, unknown and nonce answers not cacheable; POST answers without caching headers.
 */
class HttpCachingTest {

    private static final Pattern MAX_AGE = Pattern.compile("^max-age=(\\d+), public, no-transform, must-revalidate$");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    /** IMF-fixdate as RFC 9110 §5.6.7 writes it: a two-digit day, GMT. */
    private static final Pattern FIXDATE = Pattern.compile("^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$");

    @TempDir
    static Path dir;
    static ServerFixture f;
    static HttpClient plain;
    static HttpClient tls;
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
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        tls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    @Test
    void answersToGetSayHowLongCachesMayKeepThemOnBothListeners() throws Exception {
        byte[] req = request(f.idevid("SN-CACHE-HEADERS")[0], "-no_nonce");
        HttpResponse<byte[]> fast = get(plain, f.server.httpUri(), req);
        HttpResponse<byte[]> routed = get(tls, f.server.httpsUri(), req);
        for (HttpResponse<byte[]> r : List.of(fast, routed)) {
            assertEquals(200, r.statusCode());
            BasicOCSPResp basic = basic(r.body());
            long maxAge = maxAge(r);
            assertTrue(maxAge > 290 && maxAge <= 300, "the default window, 5m: " + r.headers());
            assertEquals("\"" + sha256(r.body()) + "\"", header(r, "ETag"), "a strong ETag: the hash of the answer");
            assertEquals(basic.getProducedAt().toInstant(), Instant.from(HTTP_DATE.parse(header(r, "Last-Modified"))));
            assertTrue(FIXDATE.matcher(header(r, "Last-Modified")).matches() && FIXDATE.matcher(header(r, "Expires")).matches(), r.headers().toString());
            Instant expires = Instant.from(HTTP_DATE.parse(header(r, "Expires")));
            Instant sent = Instant.from(HTTP_DATE.parse(header(r, "Date")));
            assertTrue(Math.abs(Duration.between(sent.plusSeconds(maxAge), expires).toSeconds()) <= 1, "Expires says max-age: " + r.headers());
        }
        assertEquals(header(fast, "ETag"), header(routed, "ETag"), "the same pre-produced answer from both paths");

        HttpResponse<byte[]> posted = plain.send(HttpRequest.newBuilder(f.server.httpUri().resolve("/ocsp"))
                .header("Content-Type", "application/ocsp-request").POST(HttpRequest.BodyPublishers.ofByteArray(req)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, posted.statusCode());
        assertFalse(posted.headers().firstValue("Cache-Control").isPresent() || posted.headers().firstValue("ETag").isPresent(),
                "POST answers carry no caching headers: " + posted.headers());
    }

    @Test
    void conditionalGetAnswersNotModifiedWhileTheAnswerIsTheSame() throws Exception {
        byte[] req = request(f.idevid("SN-CACHE-304")[0], "-no_nonce");
        HttpResponse<byte[]> first = get(plain, f.server.httpUri(), req);
        String etag = header(first, "ETag");
        String lastModified = header(first, "Last-Modified");
        for (URI base : List.of(f.server.httpUri(), f.server.httpsUri())) {
            HttpClient client = base.getScheme().equals("https") ? tls : plain;
            for (String inm : List.of(etag, "\"other\", " + etag, "W/" + etag, "*")) {
                HttpResponse<byte[]> r = get(client, base, req, "If-None-Match", inm);
                assertEquals(304, r.statusCode(), inm);
                assertEquals(0, r.body().length);
                assertEquals(etag, header(r, "ETag"));
                assertTrue(MAX_AGE.matcher(header(r, "Cache-Control")).matches(), r.headers().toString());
            }
            assertEquals(200, get(client, base, req, "If-None-Match", "\"other\"").statusCode());
            assertEquals(304, get(client, base, req, "If-Modified-Since", lastModified).statusCode());
            Instant before = Instant.from(HTTP_DATE.parse(lastModified)).minusSeconds(1);
            assertEquals(200, get(client, base, req, "If-Modified-Since", date(before)).statusCode());
            assertEquals(200, get(client, base, req, "If-Modified-Since", "not a date").statusCode());
            // If-None-Match decides when both are sent (RFC 9110 §13.2.2).
            assertEquals(200, get(client, base, req, "If-None-Match", "\"other\"", "If-Modified-Since", lastModified).statusCode());
        }
    }

    @Test
    void aRevocationChangesTheAnswerAndItsValidator() throws Exception {
        Path cert = f.idevid("SN-CACHE-REVOKE")[0];
        byte[] req = request(cert, "-no_nonce");
        String before = header(get(plain, f.server.httpUri(), req), "ETag");
        f.hallmark.revoker().revoke(TestTls.certificate(cert).getSerialNumber().toString(16), RevocationReason.keyCompromise, null, "test");
        HttpResponse<byte[]> r = get(plain, f.server.httpUri(), req, "If-None-Match", before);
        assertEquals(200, r.statusCode(), "the cache's copy is no longer the answer");
        assertNotEquals(before, header(r, "ETag"));
        assertInstanceOf(RevokedStatus.class, basic(r.body()).getResponses()[0].getCertStatus());
        assertTrue(MAX_AGE.matcher(header(r, "Cache-Control")).matches(), r.headers().toString());
    }

    @Test
    void refusalsUnknownAndNonceAnswersAreNotCacheable() throws Exception {
        Path cert = f.idevid("SN-CACHE-NOT")[0];
        Path unknownReq = dir.resolve("unknown.der");
        Peers.Result r = Peers.run(dir, "openssl", "ocsp", "-issuer", "idevid-ca.pem", "-serial", "0x5eed5eed5eed", "-no_nonce", "-reqout", unknownReq.toString());
        assertEquals(0, r.exit(), r::all);
        record Case(String what, byte[] request, int status) {
        }
        for (Case c : List.of(new Case("malformed", "not an OCSP request".getBytes(StandardCharsets.US_ASCII), OCSPRespBuilder.MALFORMED_REQUEST),
                new Case("unknown serial", Files.readAllBytes(unknownReq), OCSPRespBuilder.SUCCESSFUL),
                new Case("nonce", request(cert, "-nonce"), OCSPRespBuilder.SUCCESSFUL))) {
            for (URI base : List.of(f.server.httpUri(), f.server.httpsUri())) {
                HttpResponse<byte[]> answer = get(base.getScheme().equals("https") ? tls : plain, base, c.request());
                assertEquals(200, answer.statusCode(), c.what());
                assertEquals(c.status(), new OCSPResp(answer.body()).getStatus(), c.what());
                assertEquals("no-cache", header(answer, "Cache-Control"), c.what() + " " + answer.headers());
                assertFalse(answer.headers().firstValue("ETag").isPresent(), c.what());
            }
        }
    }

    @Test
    void maxAgeFollowsTheCacheWindowAndNeverPassesNextUpdate() throws Exception {
        byte[] req = request(f.idevid("SN-CACHE-WINDOW")[0], "-no_nonce");
        var settings = f.hallmark.publication();
        Publication original = settings.current();
        try {
            settings.set(original.changed(null, null, null, null, null, null, null, "7s"), "test");
            assertEquals("7s", settings.current().cacheWindow());
            for (URI base : List.of(f.server.httpUri(), f.server.httpsUri())) {
                long maxAge = maxAge(get(base.getScheme().equals("https") ? tls : plain, base, req));
                assertTrue(maxAge >= 6 && maxAge <= 7, "within the window set: " + maxAge);
            }
            // A window longer than the answer's validity (4h): the answer's nextUpdate bounds max-age.
            settings.set(settings.current().changed(null, null, null, null, null, null, null, "30d"), "test");
            HttpResponse<byte[]> r = get(plain, f.server.httpUri(), req);
            Instant nextUpdate = basic(r.body()).getResponses()[0].getNextUpdate().toInstant();
            Instant sent = Instant.from(HTTP_DATE.parse(header(r, "Date")));
            long maxAge = maxAge(r);
            assertTrue(maxAge > 3600 && !sent.plusSeconds(maxAge).isAfter(nextUpdate.plusSeconds(1)),
                    "max-age " + maxAge + " ends by nextUpdate " + nextUpdate + " (sent " + sent + ")");
        } finally {
            settings.set(settings.current().changed(null, null, null, null, null, null, null, ""), "test");
        }
        assertEquals(null, settings.current().cacheWindow(), "a blank window restores the default");
        assertEquals(Publication.DEFAULT_CACHE_WINDOW, settings.current().cacheWindowOrDefault());
    }

    @Test
    void crlsCarryAnETagAndAnswerConditionalGet() throws Exception {
        HttpResponse<byte[]> crl = plain.send(HttpRequest.newBuilder(f.server.httpUri().resolve("/crl/idevid-ca.crl")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, crl.statusCode());
        assertEquals("application/pkix-crl", header(crl, "Content-Type"));
        String etag = header(crl, "ETag");
        assertEquals("\"" + sha256(crl.body()) + "\"", etag);
        long maxAge = maxAge(crl);
        assertTrue(maxAge > 0 && maxAge <= 300, "the cache window bounds a CRL too (its nextUpdate is days away): " + maxAge);
        HttpResponse<byte[]> again = plain.send(HttpRequest.newBuilder(f.server.httpUri().resolve("/crl/idevid-ca.crl"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, again.statusCode());
        assertEquals(etag, header(again, "ETag"));
        HttpResponse<byte[]> since = plain.send(HttpRequest.newBuilder(f.server.httpUri().resolve("/crl/idevid-ca.crl"))
                .header("If-Modified-Since", header(crl, "Last-Modified")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, since.statusCode());
    }

    private static long maxAge(HttpResponse<?> r) {
        Matcher m = MAX_AGE.matcher(header(r, "Cache-Control"));
        assertTrue(m.matches(), "Cache-Control as RFC 5019 §6.2 has it: " + r.headers());
        return Long.parseLong(m.group(1));
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + ": " + r.headers()));
    }

    private static BasicOCSPResp basic(byte[] der) throws Exception {
        OCSPResp resp = new OCSPResp(der);
        assertEquals(OCSPRespBuilder.SUCCESSFUL, resp.getStatus());
        return (BasicOCSPResp) resp.getResponseObject();
    }

    private static HttpResponse<byte[]> get(HttpClient client, URI base, byte[] req, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/ocsp/"
                + URLEncoder.encode(Base64.getEncoder().encodeToString(req), StandardCharsets.UTF_8)));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** `openssl ocsp -reqout`: a request for the IDevID, SHA-1 CertID (OpenSSL's default). */
    private static byte[] request(Path cert, String nonce) throws Exception {
        Path out = dir.resolve("req-" + files.incrementAndGet() + ".der");
        var r = Peers.run(dir, "openssl", "ocsp", "-issuer", "idevid-ca.pem", "-cert", cert.toString(), nonce, "-reqout", out.toString());
        assertEquals(0, r.exit(), r.all());
        return Files.readAllBytes(out);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String date(Instant t) {
        return HTTP_DATE.format(t.atOffset(ZoneOffset.UTC));
    }
}
