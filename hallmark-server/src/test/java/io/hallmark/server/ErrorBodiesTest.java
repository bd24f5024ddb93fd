package io.hallmark.server;

import io.hallmark.core.principal.Role;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Malformed requests to every route family (EST, API, factory, OCSP, CRL, console, metrics), and requests Jetty refuses
 * before any route sees them (a bad URI, a bad header, an overlong request line or header block, a bad chunk): every
 * answer is a 4xx or 5xx (OCSP's refusal is its own: malformedRequest in a 200) whose body is one short line or the
 * console's page, naming no exception, class, stack frame, SQL or file path, and no response names Jetty or its
 * version. Requests are written byte for byte on a socket, since HTTP clients refuse to send most of them.
 */
class ErrorBodiesTest {

    private static final Pattern LEAK = Pattern.compile(
            "Exception|\\bat (io|org|java|com|jdk)\\.|\\bio\\.hallmark\\.|\\borg\\.(eclipse|bouncycastle)|com\\.fasterxml|\\bjava\\.[a-z]|"
                    + "\\.java\\b|jetty|\\bSELECT\\b|\\bINSERT\\b|\\bUPDATE\\b|SQLITE|PSQL|/tmp/|/root/|/home/|/var/lib/|\\$[A-Z][a-z]",
            Pattern.CASE_INSENSITIVE);

    @TempDir
    static Path dir;
    static ServerFixture f;
    static String token;
    static SSLContext tls;

    @BeforeAll
    static void start() throws Exception {
        f = ServerFixture.start(dir);
        token = f.hallmark.credentials().createToken(Role.ADMIN, "error-bodies", "test");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", TestTls.certificate(f.root));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private record Answer(int status, Map<String, String> headers, String body, byte[] raw) {
        String type() {
            return headers.getOrDefault("content-type", "");
        }
    }

    @Test
    void est() throws Exception {
        String pkcs10 = "Content-Type: application/pkcs10\r\n";
        List<String> requests = List.of(
                post("/.well-known/est/simpleenroll", "Content-Type: text/plain\r\n", "MIIB"),
                post("/.well-known/est/simpleenroll", "", "MIIB"),
                post("/.well-known/est/simpleenroll", pkcs10, "not base64 at all!"),
                post("/.well-known/est/simpleenroll", pkcs10 + "Content-Transfer-Encoding: binary\r\n", "\u0030\u0082\u0001\u0000garbage"),
                post("/.well-known/est/simpleenroll", pkcs10, "MIIBAAAA"),
                post("/.well-known/est/simplereenroll", pkcs10, "AAAA"),
                post("/.well-known/est/serverkeygen", pkcs10, ""),
                post("/.well-known/est/simpleenroll", pkcs10 + "Authorization: Basic %%%\r\n", "AAAA"),
                post("/.well-known/est/simpleenroll", pkcs10 + "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes()) + "\r\n", "AAAA"),
                get("/.well-known/est/%ZZ/cacerts"),
                get("/.well-known/est/" + "x".repeat(4000) + "/cacerts"),
                get("/.well-known/est/Bad%0aLabel/simpleenroll"),
                get("/.well-known/est/nosuchlabel/csrattrs"),
                get("/.well-known/est/simpleenroll"));
        for (String request : requests) assertClean(f.server.httpsUri(), request);
    }

    @Test
    void api() throws Exception {
        String serial = "0123456789abcdef";
        String auth = "Authorization: Bearer " + token + "\r\n";
        String json = auth + "Content-Type: application/json\r\n";
        List<String> requests = List.of(
                post("/api/v1/certificates/" + serial + "/revoke", json, "{\"reason\": "),
                post("/api/v1/certificates/" + serial + "/revoke", json, "null"),
                post("/api/v1/certificates/" + serial + "/revoke", json, "[1,2,3]"),
                post("/api/v1/certificates/" + serial + "/revoke", json, "{\"reason\": \"keyCompromise\", \"sneaky\": 1}"),
                post("/api/v1/certificates/" + serial + "/revoke", json, "{\"reason\": {\"a\": 1}}"),
                post("/api/v1/certificates/" + serial + "/revoke", json, "[".repeat(5000)),
                post("/api/v1/certificates/" + serial + "/revoke", json, "{\"reason\": \"keyCompromise\", \"invalidityDate\": \"yesterday\"}"),
                post("/api/v1/certificates/" + serial + "/revoke", json, "\u00ff\u00fe\u0000\u0000{}"),
                post("/api/v1/certificates/" + serial + "/revoke", auth + "Content-Type: text/plain\r\n", "{}"),
                post("/api/v1/stations/x/quota", json, "{\"quota\": 99999999999999999999999}").replaceFirst("POST", "PUT"),
                post("/api/v1/matter/fabrics/zz/nocs", json, "{\"nodeId\": \"zz\", \"csr\": \"%%%\"}"),
                post("/api/v1/events/auth", json, "{\"device\": \"a\\u0000b\", \"endpoint\": \"x\", \"result\": \"ok\", \"time\": \"2026-01-01T00:00:00Z\"}"),
                post("/api/v1/certificates", json, "{\"ca\": \"nope\", \"profile\": \"idevid\", \"csr\": \"AAAA\"}"),
                post("/api/v1/certificates", json, "{\"ca\": \"idevid-ca\", \"profile\": \"idevid\", \"csr\": \"-----BEGIN CERTIFICATE REQUEST-----\\nAAAA\\n-----END CERTIFICATE REQUEST-----\"}"),
                post("/api/v1/audit/checkpoints/verify", json, "{\"checkpoint\": \"garbage\\n\\n\", \"verifierKey\": \"x+y+z\"}"),
                get("/api/v1/devices?limit=abc", auth),
                get("/api/v1/devices?limit=%ZZ", auth),
                get("/api/v1/certificates/%ZZ", auth),
                get("/api/v1/certificates/not-hex", auth),
                get("/api/v1/certificates/" + "f".repeat(3000), auth),
                get("/api/v1/cas/nope", auth),
                get("/api/v1/devices", "Authorization: Basic abc\r\n"),
                get("/api/v1/devices", "Authorization: Bearer \r\n"),
                get("/api/v1/devices", "Authorization: Bearer " + "x".repeat(6000) + "\r\n"),
                get("/api/v1/inventory?cursor=%%%", auth),
                get("/api/v1/nothing/here", auth),
                "DELETE /api/v1/cas HTTP/1.1\r\n" + auth + "\r\n");
        for (String request : requests) assertClean(f.server.httpsUri(), request);
    }

    @Test
    void factory() throws Exception {
        for (String request : List.of(
                post("/api/v1/factory/idevid-ca/idevid", "Content-Type: application/x-ndjson\r\n", "{\"serial\": 1}\n"),
                post("/api/v1/factory/idevid-ca/idevid", "Content-Type: text/csv\r\n", "a,b"),
                post("/api/v1/factory/%ZZ/idevid", "", ""),
                get("/api/v1/factory/nope/chain"),
                get("/api/v1/factory/batches/" + "z".repeat(100), "Authorization: Bearer " + token + "\r\n"))) {
            assertClean(f.server.httpsUri(), request);
        }
    }

    @Test
    void ocspAndCrl() throws Exception {
        for (String request : List.of(
                post("/ocsp", "Content-Type: application/ocsp-request\r\n", "garbage"),
                post("/ocsp", "Content-Type: application/ocsp-request\r\n", ""),
                get("/ocsp/%%%"),
                get("/ocsp/" + "A".repeat(3000)),
                get("/ocsp/MAA="))) {
            Answer a = send(f.server.httpUri(), request);
            // RFC 6960: a request that is not one is answered malformedRequest, in an OCSP response.
            if (a.status() == 200) {
                assertEquals("application/ocsp-response", a.type(), request);
                assertEquals(OCSPResp.MALFORMED_REQUEST, new OCSPResp(body(a.raw())).getStatus(), request);
            } else {
                assertCleanAnswer(request, a);
            }
        }
        for (String request : List.of(
                get("/crl/nope.crl"),
                get("/crl/..%2F..%2Fetc%2Fpasswd"),
                get("/crl/%ZZ"),
                get("/ca/..%2Fhallmark.db"),
                get("/crl/" + "a".repeat(3000) + ".crl"),
                post("/crl/x.crl", "", "x"))) {
            assertClean(f.server.httpUri(), request);
        }
    }

    @Test
    void consoleAndMetrics() throws Exception {
        for (String request : List.of(
                post("/login", "Content-Type: application/x-www-form-urlencoded\r\n", "token=%ZZ"),
                post("/login", "Content-Type: application/x-www-form-urlencoded\r\n", "token=" + "x".repeat(9000)),
                post("/logout", "Content-Type: application/x-www-form-urlencoded\r\n", "csrf=x"),
                post("/certificates/%ZZ/revoke", "Cookie: hallmark-session=forged\r\n", "csrf=x"),
                get("/devices/%ZZ"),
                get("/assets/..%2F..%2Fetc%2Fpasswd"),
                get("/assets/nope.js"),
                post("/metrics", "", "x"),
                get("/metrics/%ZZ"))) {
            assertClean(f.server.httpsUri(), request);
        }
        assertClean(f.server.httpUri(), post("/metrics", "", "x"));
    }

    /** What Jetty answers itself, before the router: these must read like Hallmark's, and name no server. */
    @Test
    void jettysOwnRefusals() throws Exception {
        List<String> requests = new ArrayList<>(List.of(
                "GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
                "GET /healthz HTTP/1.1\r\nHost: x\r\nX: a\u0001b\r\n\r\n",
                "GET /healthz HTTP/1.1\r\n\r\n",
                "\u0000\u0001\u0002garbage\r\n\r\n",
                "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n",
                "POST /ocsp HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "POST /ocsp HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
                "POST /ocsp HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                "POST /ocsp HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n"));
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (URI base : List.of(f.server.httpUri(), f.server.httpsUri())) {
            for (String request : requests) {
                Answer a = send(base, request);
                seen.put(base.getScheme() + " " + request.lines().findFirst().orElse("").replaceAll("a{20,}", "a..."), a.status());
                assertCleanAnswer(request, a);
            }
            // The chunked body that is not one reaches a route that reads its body: a 400, not Jetty's reason.
            Answer chunk = send(base, "POST /api/v1/events/auth HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
            if (base.getScheme().equals("https")) assertCleanAnswer("bad chunk", chunk);
        }
        assertTrue(seen.containsValue(431), "a header block beyond the limit: " + seen);
        assertTrue(seen.values().stream().allMatch(s -> s >= 400), seen.toString());
    }

    private static String get(String path) {
        return get(path, "");
    }

    private static String get(String path, String headers) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n";
    }

    private static String post(String path, String headers, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
    }

    private static void assertClean(URI base, String request) throws Exception {
        assertCleanAnswer(request, send(base, request));
    }

    private static void assertCleanAnswer(String request, Answer a) {
        String what = request.lines().findFirst().orElse("").replaceAll("(.)\\1{30,}", "$1...") + " -> " + a.status() + " " + a.body();
        assertTrue(a.status() >= 400 && a.status() <= 599, what);
        assertFalse(a.headers().containsKey("server"), "Server: " + a.headers().get("server") + " for " + what);
        assertFalse(a.headers().containsKey("x-powered-by"), what);
        var leak = LEAK.matcher(a.body());
        assertFalse(leak.find(), "leaks '" + (leak.find(0) ? leak.group() : "") + "': " + what);
        if (a.type().startsWith("text/html")) return; // the console's sign-in page, checked for leaks above
        assertTrue(a.body().isEmpty() || a.type().startsWith("text/plain"), a.type() + ": " + what);
        assertTrue(a.body().length() <= 401, "a long body: " + what);
        assertTrue(a.body().isEmpty() || a.body().indexOf('\n') == a.body().length() - 1, "not one line: " + what);
    }

    /** Sends the bytes as they are, with Connection: close after the request head when it has one, and reads the whole answer. */
    private static Answer send(URI base, String request) throws Exception {
        Socket socket = new Socket(base.getHost(), base.getPort());
        if (base.getScheme().equals("https")) socket = tls.getSocketFactory().createSocket(socket, base.getHost(), base.getPort(), true);
        try (Socket s = socket) {
            s.setSoTimeout(20_000);
            String sent = request.replaceFirst("\r\nHost: ([^\r]*)\r\n", "\r\nHost: $1\r\nConnection: close\r\n");
            s.getOutputStream().write(sent.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0 && out.size() < 1 << 20; ) {
                    out.write(buffer, 0, n);
                    if (complete(out.toByteArray())) break;
                }
            } catch (java.net.SocketException | javax.net.ssl.SSLException reset) {
                // the server answered and closed while the client was still sending: what arrived is the answer
            }
            return parse(out.toByteArray(), request);
        }
    }

    /** Whether a Content-Length answer has arrived whole (an answer without one ends when the server closes). */
    private static boolean complete(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) return false;
        var m = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text.substring(0, end));
        return m.find() && raw.length >= end + 4 + Integer.parseInt(m.group(1));
    }

    private static Answer parse(byte[] raw, String request) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        assertTrue(text.startsWith("HTTP/1.1 ") && end > 0, "no HTTP answer to " + request.lines().findFirst().orElse("") + ": " + text);
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Answer(Integer.parseInt(lines[0].substring(9, 12)), headers, text.substring(end + 4), raw);
    }

    private static byte[] body(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        return java.util.Arrays.copyOfRange(raw, text.indexOf("\r\n\r\n") + 4, raw.length);
    }
}
