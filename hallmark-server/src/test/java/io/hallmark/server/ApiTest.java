package io.hallmark.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.principal.Role;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.*;

/** The REST API: roles on every route, tokens kept only as hashes, operator certificates, bad input. */
class ApiTest {

    @TempDir
    static Path dir;
    static ServerFixture f;
    static String admin;
    static String auditor;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Peers.tool("openssl");
        f = ServerFixture.start(dir);
        admin = f.hallmark.credentials().createToken(Role.ADMIN, "admin-token", "test");
        auditor = f.hallmark.credentials().createToken(Role.AUDITOR, "auditor-token", "test");
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private static HttpClient client(KeyManager[] keys) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", TestTls.certificate(f.root));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).build();
    }

    private static HttpResponse<String> call(String method, String path, String token, String contentType, String body) throws Exception {
        return call(client(null), method, path, token, contentType, body);
    }

    private static HttpResponse<String> call(HttpClient client, String method, String path, String token, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.server.httpsUri() + "/api/v1" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (contentType != null) b.header("Content-Type", contentType);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String newIdevidSerial(String device) {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        return f.hallmark.issuer().issue(new IssuanceRequest("idevid-ca", "idevid", Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=x")),
                device, null, "test")).certificate().serial();
    }

    @Test
    void auditorReadsButCannotRevokeAdminCan() throws Exception {
        String serial = newIdevidSerial("API-1");
        assertEquals(200, call("GET", "/cas", auditor, null, null).statusCode());
        HttpResponse<String> denied = call("POST", "/certificates/" + serial + "/revoke", auditor, "application/json", "{\"reason\":\"keyCompromise\"}");
        assertEquals(403, denied.statusCode());
        assertTrue(denied.body().contains("may not revoke"), denied.body());
        assertNull(f.hallmark.store().read(tx -> tx.certificates().find(serial)).orElseThrow().revocation(), "still not revoked");

        HttpResponse<String> done = call("POST", "/certificates/" + serial + "/revoke", admin, "application/json", "{\"reason\":\"keyCompromise\"}");
        assertEquals(200, done.statusCode(), done.body());
        assertEquals("revoked", JSON.readTree(done.body()).get("status").asText());
        assertEquals(409, call("POST", "/certificates/" + serial + "/revoke", admin, "application/json", "{\"reason\":\"superseded\"}").statusCode());

        JsonNode device = JSON.readTree(call("GET", "/devices/API-1", auditor, null, null).body());
        assertTrue(device.get("blocked").asBoolean(), "a revoked IDevID blocks its device");
        assertEquals(serial, device.get("certificates").get(0).get("serial").asText());
    }

    @Test
    void everyRouteNeedsCredentials() throws Exception {
        for (String path : new String[]{"/cas", "/devices", "/devices/x", "/certificates/ab", "/audit", "/ocsp/stats"}) {
            HttpResponse<String> r = call("GET", path, null, null, null);
            assertEquals(401, r.statusCode(), path);
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), path);
        }
        assertEquals(401, call("GET", "/cas", "hmk_000000000000_" + "A".repeat(43), null, null).statusCode(), "unknown token");
        assertEquals(401, call("GET", "/cas", admin.substring(0, admin.length() - 2) + "xx", null, null).statusCode(), "wrong secret");
        assertEquals(403, call("GET", "/audit", f.hallmark.credentials().createToken(Role.OPERATOR, "op", "test"), null, null).statusCode(),
                "operators do not read the audit chain");
        assertEquals(200, call("GET", "/audit", auditor, null, null).statusCode());
    }

    @Test
    void tokensAreNotStoredInClear() throws Exception {
        String secret = admin.substring(admin.lastIndexOf('_') + 1);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/hallmark.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT * FROM api_principals")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    String value = rs.getString(i);
                    assertFalse(value != null && (value.contains(secret) || value.contains(admin)), "column " + i + " holds the token");
                }
            }
            assertTrue(rows >= 2);
        }
        String log = Files.readString(dir.resolve("logs/access.log"));
        assertFalse(log.contains(secret), "tokens never reach the access log");
    }

    @Test
    void everyAccessLogLineIsJsonWhateverThePath() throws Exception {
        // Encoded, then raw: a quote, a backslash or a control character in a path must not break (or forge) a line.
        String encoded = "/no-such-%22%7D%2C%22status%22%3A200%5C%01";
        int status = call("GET", encoded, null, null, null).statusCode();
        assertTrue(status == 400 || status == 404, "refused: " + status); // Jetty refuses some encodings itself
        String raw = "/raw-\"},\"status\":200,\"x\":\"\\";
        try (java.net.Socket s = new java.net.Socket(f.server.httpUri().getHost(), f.server.httpUri().getPort())) {
            s.getOutputStream().write(("GET " + raw + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 4"), answer);
        }
        Path log = dir.resolve("logs/access.log");
        JsonNode mine = null;
        for (int i = 0; i < 100 && mine == null; i++) {
            Thread.sleep(20); // written as the exchange completes, just after the client has its answer
            for (String line : Files.readAllLines(log)) {
                JsonNode j = JSON.readTree(line); // every line parses, not only ours
                assertEquals(7, j.size(), line);
                assertTrue(j.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z"), line);
                if (j.get("path").asText().equals("/api/v1" + encoded)) mine = j;
            }
        }
        assertNotNull(mine, "the request was logged, its path as sent");
        assertEquals(status, mine.get("status").asInt());
        assertEquals("GET", mine.get("method").asText());
        assertTrue(mine.get("micros").asLong() >= 0 && mine.get("bytes").asLong() >= 0, mine.toString());
        assertEquals("127.0.0.1", mine.get("remote").asText());
        // No line claims a status it did not have: the raw request's fake "status":200 stayed inside its path, if logged at all.
        for (String line : Files.readAllLines(log)) {
            JsonNode j = JSON.readTree(line);
            if (j.get("path").asText().contains("raw-")) assertNotEquals(200, j.get("status").asInt(), line);
        }
    }

    @Test
    void badRequestsGetTheirStatus() throws Exception {
        String serial = newIdevidSerial("API-2");
        assertEquals(415, call("POST", "/certificates/" + serial + "/revoke", admin, "text/plain", "reason=keyCompromise").statusCode());
        assertEquals(400, call("POST", "/certificates/" + serial + "/revoke", admin, "application/json", "{not json").statusCode());
        assertEquals(400, call("POST", "/certificates/" + serial + "/revoke", admin, "application/json", "{\"reason\":\"becauseISaidSo\"}").statusCode());
        assertEquals(400, call("POST", "/certificates/" + serial + "/revoke", admin, "application/json", "{\"reason\":\"keyCompromise\",\"extra\":1}").statusCode());
        assertEquals(404, call("POST", "/certificates/abcdef/revoke", admin, "application/json", "{\"reason\":\"keyCompromise\"}").statusCode());
        assertEquals(400, call("GET", "/certificates/not-hex", admin, null, null).statusCode());
        assertEquals(404, call("GET", "/devices/nobody", admin, null, null).statusCode());
        assertEquals(405, call("DELETE", "/cas", admin, null, null).statusCode());
        assertEquals(413, call("POST", "/certificates/" + serial + "/revoke", admin, "application/json", "{\"reason\":\"" + "x".repeat(20_000) + "\"}").statusCode());
        assertNull(f.hallmark.store().read(tx -> tx.certificates().find(serial)).orElseThrow().revocation(), "none of that revoked anything");
    }

    @Test
    void operatorClientCertificatesAuthenticate() throws Exception {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        var issued = f.hallmark.issuer().issue(new IssuanceRequest("clients-ca", "client",
                Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=alice")), null, null, "test"));
        var cert = Pem.x509(issued.certificate().der());
        HttpClient alice = client(TestTls.keyManagers(cert, keys.getPrivate()));
        assertEquals(401, call(alice, "GET", "/cas", null, null, null).statusCode(), "not registered yet");
        f.hallmark.credentials().registerCertificate(cert, Role.AUDITOR, "alice", "test");
        assertEquals(200, call(alice, "GET", "/cas", null, null, null).statusCode());
        assertEquals(403, call(alice, "POST", "/certificates/ab/revoke", null, "application/json", "{\"reason\":\"keyCompromise\"}").statusCode());
    }

    @Test
    void aCommissionerGetsNocsInDerAndTlvAndNothingElse() throws Exception {
        f.hallmark.matterFabrics().createFabric("api-fabric", 0xFAB0_0000_0000_0001L, true, io.hallmark.core.profile.Validity.parse("10y"),
                io.hallmark.core.profile.Validity.parse("1y"), false, "test");
        String commissioner = f.hallmark.credentials().createToken(Role.COMMISSIONER, "commissioner", "test");
        String csr = Pem.encode("CERTIFICATE REQUEST", Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("O=CSR")));
        String body = JSON.writeValueAsString(java.util.Map.of("nodeId", "00000000000000AB", "cats", java.util.List.of("00010001"), "csr", csr));

        HttpResponse<String> r = call("POST", "/matter/fabrics/api-fabric/nocs", commissioner, "application/json", body);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode noc = JSON.readTree(r.body());
        byte[] der = java.util.Base64.getDecoder().decode(noc.get("der").asText());
        byte[] tlv = java.util.Base64.getDecoder().decode(noc.get("tlv").asText());
        assertTrue(tlv.length < der.length);
        assertTrue(java.util.Arrays.equals(der, io.hallmark.core.matter.tlv.MatterTlvCertificates.toDer(tlv)), "the TLV is the DER's");
        var cert = new org.bouncycastle.cert.X509CertificateHolder(der);
        assertEquals("00000000000000AB", cert.getSubject().getRDNs(io.hallmark.core.matter.MatterOids.NODE_ID)[0].getFirst().getValue().toString());
        assertEquals(2, noc.get("chain").size(), "ICAC, then RCAC");
        assertEquals("noc-api-fabric", f.hallmark.store().read(tx -> tx.certificates().find(noc.get("serial").asText())).orElseThrow().profile());

        // What the rules refuse is a 400 with the reason, and nothing is stored.
        int before = f.hallmark.store().read(tx -> tx.certificates().find(new io.hallmark.core.store.CertificateQuery(null, null, null, null, 100_000))).size();
        HttpResponse<String> zero = call("POST", "/matter/fabrics/api-fabric/nocs", commissioner, "application/json",
                JSON.writeValueAsString(java.util.Map.of("nodeId", "0", "csr", csr)));
        assertEquals(400, zero.statusCode());
        assertTrue(zero.body().contains("outside the operational range"), zero.body());
        HttpResponse<String> sameCat = call("POST", "/matter/fabrics/api-fabric/nocs", commissioner, "application/json",
                JSON.writeValueAsString(java.util.Map.of("nodeId", "1", "cats", java.util.List.of("00020001", "00020002"), "csr", csr)));
        assertEquals(400, sameCat.statusCode());
        assertEquals(400, call("POST", "/matter/fabrics/api-fabric/nocs", commissioner, "application/json", "{\"nodeId\": \"1\", \"csr\": \"%%%\"}").statusCode());
        assertEquals(415, call("POST", "/matter/fabrics/api-fabric/nocs", commissioner, "text/plain", body).statusCode());
        assertEquals(before, f.hallmark.store().read(tx -> tx.certificates().find(new io.hallmark.core.store.CertificateQuery(null, null, null, null, 100_000))).size());

        // A commissioner issues NOCs and does nothing else; an auditor issues none.
        assertEquals(403, call("GET", "/cas", commissioner, null, null).statusCode());
        assertEquals(403, call("POST", "/matter/fabrics/api-fabric/nocs", auditor, "application/json", body).statusCode());
        assertEquals(401, call("POST", "/matter/fabrics/api-fabric/nocs", null, "application/json", body).statusCode());
        assertEquals(404, call("POST", "/matter/fabrics/nope/nocs", commissioner, "application/json", body).statusCode());
    }

    @Test
    void inventoryPagesWithAnOpaqueCursorAndRefusesBadFiltersAndCursors() throws Exception {
        java.util.Set<String> issued = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) issued.add(newIdevidSerial("INV-" + i));
        java.util.List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String query = "/inventory?ca=idevid-ca&algorithm=ec-p256&limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> r = call("GET", query, auditor, null, null);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode page = JSON.readTree(r.body());
            page.get("items").forEach(item -> seen.add(item.get("serial").asText()));
            assertTrue(page.get("items").size() <= 2);
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (cursor != null && pages < 100);
        assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "no duplicates");
        assertTrue(seen.containsAll(issued), seen + " holds " + issued);
        assertEquals(seen.stream().sorted().toList(), seen);

        JsonNode overview = JSON.readTree(call("GET", "/inventory/overview", auditor, null, null).body());
        assertTrue(overview.get("byCa").get("idevid-ca").asLong() >= 5, overview.toString());
        assertTrue(overview.get("byStatus").has("valid"), overview.toString());

        for (String bad : new String[]{"status=alive", "colour=red", "key-storage=usb", "cursor=zz", "limit=0", "limit=x", "ca=a&ca=b"}) {
            HttpResponse<String> r = call("GET", "/inventory?" + bad, auditor, null, null);
            assertEquals(400, r.statusCode(), bad + ": " + r.body());
        }
        assertEquals(401, call("GET", "/inventory", null, null, null).statusCode());
    }

    @Test
    void openApiDocumentIsServed() throws Exception {
        HttpResponse<String> r = call("GET", "/openapi.json", null, null, null);
        assertEquals(200, r.statusCode());
        JsonNode doc = JSON.readTree(r.body());
        assertEquals("3.1.0", doc.get("openapi").asText());
        assertTrue(doc.get("paths").has("/certificates/{serial}/revoke"));
        assertTrue(doc.get("paths").has("/matter/fabrics/{fabric}/nocs"));
    }
}
