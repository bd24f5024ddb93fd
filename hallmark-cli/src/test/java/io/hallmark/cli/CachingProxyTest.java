package io.hallmark.cli;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real caching proxy (nginx proxy_cache, honouring the answers' Cache-Control) in front of the OCSP and CRL
 * listener: it answers repeated OCSP GETs and CRL downloads itself (Hallmark's counters do not move, nginx says HIT),
 * revalidates an expired answer with a conditional GET that Hallmark answers 304, and after a revocation serves the
 * new status, checked by openssl, within the publication's cache window (set short here).
 */
class CachingProxyTest {

    private static final int WINDOW_SECONDS = 3;
    /** The server reads another process's revocation within its one-second poll; nginx counts expiry in whole seconds. */
    private static final int SLACK_SECONDS = 3;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theProxyAnswersRepeatedQueriesAndServesARevocationWithinTheWindow() throws Exception {
        Peers.tool("nginx");
        Peers.tool("openssl");
        Path data = dir.resolve("data");
        Cli.ok(data, "quickstart", "--no-serve", "--devices", "2");
        Cli.Run set = Cli.ok(data, "publication", "--cache-window", WINDOW_SECONDS + "s", "--crl-refresh", "1s");
        assertTrue(set.out().contains("cache window") && set.out().contains(WINDOW_SECONDS + "s"), set::toString);
        Path issuer = data.resolve("ca/idevid-ca.pem");
        Path revoked = data.resolve("demo/DEMO-0001.pem");
        Path kept = data.resolve("demo/DEMO-0002.pem");
        String revokedUrl = "/ocsp/" + getForm(request(issuer, revoked));
        String keptUrl = "/ocsp/" + getForm(request(issuer, kept));

        try (ServeProcess serve = ServeProcess.start("--data", data.toString());
             NginxCache proxy = NginxCache.start(Files.createDirectories(dir.resolve("nginx")), URI.create(serve.httpUri).getAuthority())) {
            // The first query goes through, the second is the proxy's own: the same bytes, and Hallmark counted one.
            HttpResponse<byte[]> first = get(proxy.url() + revokedUrl);
            assertEquals("MISS", cacheStatus(first), proxy::log);
            assertEquals("good", status(issuer, revoked, first.body()));
            double answered = metric(serve, "hallmark_ocsp_requests_total");
            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> again = get(proxy.url() + revokedUrl);
                assertEquals("HIT", cacheStatus(again), proxy::log);
                assertArrayEquals(first.body(), again.body());
            }
            assertEquals(answered, metric(serve, "hallmark_ocsp_requests_total"), "the repeated queries never reached Hallmark");

            // A CRL the same way.
            String crlPath = "/crl/idevid-ca.crl";
            HttpResponse<byte[]> crl = get(proxy.url() + crlPath);
            assertEquals("MISS", cacheStatus(crl), proxy::log);
            assertFalse(crlLists(crl.body(), revoked));
            double crlServed = metric(serve, "hallmark_http_requests_seconds_count{ca=\"idevid-ca\",method=\"GET\",route=\"/crl/{file}\",status=\"200\"}");
            HttpResponse<byte[]> crlAgain = get(proxy.url() + crlPath);
            assertEquals("HIT", cacheStatus(crlAgain), proxy::log);
            assertArrayEquals(crl.body(), crlAgain.body());
            assertEquals(crlServed, metric(serve, "hallmark_http_requests_seconds_count{ca=\"idevid-ca\",method=\"GET\",route=\"/crl/{file}\",status=\"200\"}"));

            // Once the window has passed, the proxy asks again with the answer's ETag: unchanged, Hallmark says 304.
            HttpResponse<byte[]> keptFirst = get(proxy.url() + keptUrl);
            assertEquals("MISS", cacheStatus(keptFirst), proxy::log);
            Thread.sleep((WINDOW_SECONDS + 1) * 1000L);
            HttpResponse<byte[]> revalidated = get(proxy.url() + keptUrl);
            assertEquals("REVALIDATED", cacheStatus(revalidated), proxy::log);
            assertArrayEquals(keptFirst.body(), revalidated.body());

            // A revocation (as an operator on another node would: the server hears of it by its poll) reaches the
            // proxy's clients within the window: until then the proxy may serve the cached good answer, never after.
            HttpResponse<byte[]> cachedGood = get(proxy.url() + revokedUrl);
            assertEquals("good", status(issuer, revoked, cachedGood.body()));
            Cli.ok(data, "revoke", serialOf(revoked), "--reason", "keyCompromise");
            long revokedAt = System.nanoTime();
            List<String> seen = new ArrayList<>();
            String ocspSaid = null;
            boolean crlSaid = false;
            double seconds = 0;
            while ((ocspSaid == null || !crlSaid) && seconds < WINDOW_SECONDS + SLACK_SECONDS + 2) {
                Thread.sleep(200);
                seconds = (System.nanoTime() - revokedAt) / 1e9;
                HttpResponse<byte[]> r = get(proxy.url() + revokedUrl);
                String now = status(issuer, revoked, r.body());
                seen.add(String.format("%.1fs OCSP %s %s", seconds, now, cacheStatus(r)));
                if (ocspSaid == null && now.startsWith("revoked")) {
                    ocspSaid = String.format("%.1f", seconds);
                    assertTrue(now.contains("keyCompromise"), now);
                }
                if (!crlSaid) {
                    HttpResponse<byte[]> c = get(proxy.url() + crlPath);
                    crlSaid = crlLists(c.body(), revoked);
                    seen.add(String.format("%.1fs CRL %s %s", seconds, crlSaid ? "lists it" : "does not list it", cacheStatus(c)));
                }
            }
            assertTrue(ocspSaid != null && crlSaid, "revocation not served by the proxy within " + seconds + " s: " + seen + proxy.log());
            assertTrue(seconds <= WINDOW_SECONDS + SLACK_SECONDS, "seen after " + seconds + " s: " + seen);
            HttpResponse<byte[]> cachedRevoked = get(proxy.url() + revokedUrl);
            assertEquals("HIT", cacheStatus(cachedRevoked), seen::toString);
            assertTrue(status(issuer, revoked, cachedRevoked.body()).startsWith("revoked"));
            System.out.println("through nginx: " + String.join(", ", seen));
        }
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), url);
        return r;
    }

    private static String cacheStatus(HttpResponse<?> r) {
        return r.headers().firstValue("X-Cache-Status").orElse("(none)");
    }

    /** A counter from the server's /metrics (open on the plain listener by default). */
    private double metric(ServeProcess serve, String series) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(serve.httpUri + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), series + " not in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    /** `openssl ocsp -reqout`: a request without nonce, the form caches can share. */
    private byte[] request(Path issuer, Path cert) throws Exception {
        Path out = dir.resolve(cert.getFileName() + ".req");
        Peers.Result r = Peers.run(dir, "openssl", "ocsp", "-issuer", issuer.toString(), "-cert", cert.toString(), "-no_nonce", "-reqout", out.toString());
        assertEquals(0, r.exit(), r::all);
        return Files.readAllBytes(out);
    }

    /** RFC 6960 A.1: the URL-encoded base64 of the DER request. */
    private static String getForm(byte[] der) {
        return URLEncoder.encode(Base64.getEncoder().encodeToString(der), StandardCharsets.UTF_8);
    }

    /** What openssl, verifying the answer against the root, says of the certificate: "good", or "revoked" and its reason. */
    private String status(Path issuer, Path cert, byte[] answer) throws Exception {
        Path resp = Files.write(dir.resolve("answer.der"), answer);
        Peers.Result r = Peers.run(dir, "openssl", "ocsp", "-respin", resp.toString(), "-issuer", issuer.toString(), "-cert", cert.toString(),
                "-CAfile", dir.resolve("data/ca/root.pem").toString(), "-no_nonce");
        assertTrue(r.all().contains("Response verify OK"), r::all);
        Matcher m = Pattern.compile(Pattern.quote(cert.toString()) + ": (\\w+)").matcher(r.out());
        assertTrue(m.find(), r::all);
        String reason = r.out().lines().map(String::strip).filter(l -> l.startsWith("Reason:")).findFirst().orElse("");
        return (m.group(1) + " " + reason).strip();
    }

    private boolean crlLists(byte[] der, Path cert) throws Exception {
        Path file = Files.write(dir.resolve("idevid-ca.crl"), der);
        Peers.Result r = Peers.run(dir, "openssl", "crl", "-inform", "DER", "-in", file.toString(), "-noout", "-text");
        assertEquals(0, r.exit(), r::all);
        // openssl prints whole bytes: a leading zero nibble, or a 00 byte before a high bit, may precede the digits.
        return Pattern.compile("Serial Number: 0*" + serialOf(cert) + "\\b", Pattern.CASE_INSENSITIVE).matcher(r.out()).find();
    }

    private static String serialOf(Path pem) throws Exception {
        return io.hallmark.core.crypto.Pem.holder(io.hallmark.core.crypto.Pem.derOf(Files.readAllBytes(pem), "CERTIFICATE")).getSerialNumber().toString(16);
    }
}
