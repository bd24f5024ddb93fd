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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Percent-encoded paths, with curl as the client: a device id holding a space, '+', '/' or '?' is fetched by
 * its encoded form, decoded exactly once; an OCSP GET (RFC 6960 A.1: URL-encoded base64, so '%2F' and '%2B')
 * is answered on both listeners.
 */
class PathEncodingTest {

    @TempDir
    static Path dir;
    static ServerFixture f;
    static String token;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Peers.tool("curl");
        Peers.tool("openssl");
        f = ServerFixture.start(dir);
        token = f.hallmark.credentials().createToken(Role.AUDITOR, "paths", "test");
        Files.writeString(dir.resolve("idevid-ca.pem"), Pem.certificate(f.hallmark.cas().get("idevid-ca").certificate()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private static Peers.Result curl(String... args) {
        return f.curl(args);
    }

    private static String body() throws Exception {
        return f.body();
    }

    @Test
    void deviceIdsWithReservedCharactersAreFetchedByTheirEncodedForm() throws Exception {
        String[][] cases = {
                {"ACME 1+2", "ACME%201%2B2"},
                {"A/B", "A%2FB"},
                {"Q?1=2", "Q%3F1%3D2"},
                {"plain", "plain"},
        };
        for (String[] c : cases) {
            f.hallmark.issuer().issue(new IssuanceRequest("idevid-ca", "idevid",
                    Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("CN=x")), c[0], null, "test"));
        }
        for (String[] c : cases) {
            Peers.Result r = curl("-H", "Authorization: Bearer " + token, f.server.httpsUri() + "/api/v1/devices/" + c[1]);
            String reply = body();
            assertEquals("200", r.out(), () -> c[1] + ": " + r.all() + reply);
            JsonNode device = JSON.readTree(reply);
            assertEquals(c[0], device.get("id").asText());
            assertEquals(1, device.get("certificates").size(), reply);
        }
        // Decoded once: "%252F" is the five characters "%2F", not a slash, so it names no device.
        Peers.Result twice = curl("-H", "Authorization: Bearer " + token, f.server.httpsUri() + "/api/v1/devices/A%252FB");
        assertEquals("404", twice.out(), twice::all);
        assertEquals("no device 'A%2FB'\n", body());
        // A bad escape is the client's error, said in one line.
        Peers.Result bad = curl("-H", "Authorization: Bearer " + token, f.server.httpsUri() + "/api/v1/devices/A%2");
        assertEquals("400", bad.out(), bad::all);
        assertEquals(1, body().lines().count(), "one line");
    }

    @Test
    void ocspGetWithEncodedSlashesAndPlusesIsAnsweredOnBothListeners() throws Exception {
        Path cert = f.idevid("SN-PATH-OCSP")[0];
        // openssl writes the request; with a nonce each one differs, so some base64 holds both '/' and '+'.
        String b64 = null;
        for (int i = 0; i < 200 && b64 == null; i++) {
            Path req = dir.resolve("req.der");
            Peers.Result r = Peers.run(dir, "openssl", "ocsp", "-issuer", "idevid-ca.pem", "-cert", cert.toString(), "-nonce", "-reqout", req.toString());
            assertEquals(0, r.exit(), r::all);
            String candidate = Base64.getEncoder().encodeToString(Files.readAllBytes(req));
            if (candidate.contains("/") && candidate.contains("+")) b64 = candidate;
        }
        assertNotNull(b64, "no request with both '/' and '+' in its base64");
        String encoded = URLEncoder.encode(b64, StandardCharsets.UTF_8);
        assertTrue(encoded.contains("%2F") && encoded.contains("%2B"), encoded);

        for (String base : List.of(f.server.httpUri().toString(), f.server.httpsUri().toString())) {
            Peers.Result r = curl(base + "/ocsp/" + encoded);
            assertEquals("200", r.out(), () -> base + ": " + r.all());
            Peers.Result verify = Peers.run(dir, "openssl", "ocsp", "-respin", "body.out", "-issuer", "idevid-ca.pem", "-cert", cert.toString(),
                    "-CAfile", f.root.toString(), "-no_nonce");
            assertTrue(verify.all().contains("Response verify OK") && verify.all().contains(cert.getFileName() + ": good"), base + ": " + verify.all());
        }
    }
}
