package io.hallmark.server;

import io.hallmark.core.principal.Role;
import io.hallmark.server.http.RateLimiter.Limit;
import io.hallmark.server.http.RateLimits;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Per-client rate limits on a real server (serve --rate-limit): a client beyond its allowance gets 429 with
 * Retry-After and one line, another client does not, the allowance comes back after the window, and /metrics counts
 * the refusals. EST is played by curl (with and without a TLS client certificate), the API by two tokens.
 */
class RateLimitTest {

    private static final Duration WINDOW = Duration.ofSeconds(3);

    @TempDir
    static Path dir;
    static ServerFixture f;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        f = ServerFixture.start(dir, new RateLimits(new Limit(2, WINDOW), new Limit(3, WINDOW), new Limit(2, WINDOW)));
        api = new ApiClient(f);
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    @Test
    void anApiPrincipalBeyondItsAllowanceGets429AndAnotherPrincipalDoesNot() throws Exception {
        for (int i = 0; i < 3; i++) ApiClient.assertStatus(200, api.call("GET", "/cas", Role.AUDITOR, null));
        HttpResponse<String> refused = api.call("GET", "/cas", Role.AUDITOR, null);
        ApiClient.assertStatus(429, refused);
        long retry = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= WINDOW.toSeconds(), "Retry-After " + retry);
        assertEquals("too many API requests from this client (at most 3 per 3s); retry in " + retry + " s\n", refused.body());

        ApiClient.assertStatus(200, api.call("GET", "/cas", Role.OPERATOR, null)); // another principal, same address

        Thread.sleep(WINDOW.toMillis() + 200);
        for (int i = 0; i < 3; i++) ApiClient.assertStatus(200, api.call("GET", "/cas", Role.AUDITOR, null));

        Peers.Result metrics = Peers.run(dir, "curl", "-sS", f.server.httpUri() + "/metrics");
        assertTrue(metrics.out().contains("hallmark_rate_limited_total{family=\"api\"} "), metrics.out());
        assertFalse(metrics.out().contains("hallmark_rate_limited_total{family=\"api\"} 0.0"), metrics.out());
        assertTrue(metrics.out().contains("hallmark_http_requests_seconds_count{ca=\"\",method=\"GET\",route=\"/api/v1/cas\",status=\"429\"}"),
                metrics.out());
    }

    /** Refused credentials are charged to their address, which is then turned away before any more are looked up. */
    @Test
    void refusedTokensSpendTheirAddressesAllowanceNotAGoodPrincipals() throws Exception {
        for (int i = 0; i < 3; i++) ApiClient.assertStatus(401, api.call("GET", "/devices", "invented-" + i, "application/json", null));
        HttpResponse<String> refused = api.call("GET", "/devices", "invented-4", "application/json", null);
        ApiClient.assertStatus(429, refused);
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        // A good token from that address: turned away too, since the address is all that tells the two apart before
        // the token is looked up; it gets through once the address's allowance comes back.
        Thread.sleep(WINDOW.toMillis() + 200);
        ApiClient.assertStatus(200, api.call("GET", "/devices", Role.ADMIN, null));
    }

    /**
     * Tokens guessed through the console's sign-in form spend the same per-address bucket as tokens refused by the API:
     * the form is no way around the API's limit, in either order.
     */
    @Test
    void consoleSignInsWithRefusedTokensShareTheApisAddressBucket() throws Exception {
        Thread.sleep(WINDOW.toMillis() + 200); // whatever another test left in this address's bucket is back
        ApiClient.assertStatus(401, api.form("/login", "token=hmk_invented_1"));
        ApiClient.assertStatus(401, api.call("GET", "/devices", "invented-api", "application/json", null));
        ApiClient.assertStatus(401, api.form("/login", "token=hmk_invented_2"));
        HttpResponse<String> refused = api.form("/login", "token=" + api.token(Role.ADMIN));
        ApiClient.assertStatus(429, refused);
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        ApiClient.assertStatus(429, api.call("GET", "/devices", Role.ADMIN, null));

        Thread.sleep(WINDOW.toMillis() + 200);
        HttpResponse<String> signedIn = api.form("/login", "token=" + api.token(Role.ADMIN));
        ApiClient.assertStatus(303, signedIn);
        assertTrue(signedIn.headers().firstValue("Set-Cookie").orElse("").startsWith("hallmark_session="), signedIn.headers().map().toString());
        Thread.sleep(WINDOW.toMillis() + 200);
    }

    @Test
    void anEstClientBeyondItsAllowanceGets429AndADeviceWithItsCertificateDoesNot() throws Exception {
        Peers.tool("curl");
        Path[] device = f.idevid("RATE-0001");
        Path csr = f.csrB64(device[1], "/CN=sensor/serialNumber=RATE-0001", "rate-1");
        // Without a client certificate, keyed by address: the body is read only while the allowance lasts. (Not base64,
        // so that it is a 400, not a refused enrollment, which would spend the address's allowance for refusals too.)
        for (int i = 0; i < 2; i++) {
            Peers.Result r = f.curl("-H", "Content-Type: application/pkcs10", "--data-binary", "not base64!", f.est("simpleenroll"));
            assertEquals("400", r.out(), f.body());
        }
        Peers.Result limited = f.curl("-D", "headers.out", "-H", "Content-Type: application/pkcs10", "--data-binary", "not base64!", f.est("simpleenroll"));
        assertEquals("429", limited.out(), f.body());
        assertTrue(java.nio.file.Files.readString(dir.resolve("headers.out")).toLowerCase().contains("retry-after: "),
                java.nio.file.Files.readString(dir.resolve("headers.out")));
        assertTrue(f.body().startsWith("too many EST requests from this client (at most 2 per 3s); retry in "), f.body());

        // The device, with its IDevID, has its own allowance.
        Peers.Result enrolled = f.curl("--cert", device[0].toString(), "--key", device[1].toString(), "-H", "Content-Type: application/pkcs10",
                "--data-binary", "@" + csr, f.est("simpleenroll"));
        assertEquals("200", enrolled.out(), f.body());

        Thread.sleep(WINDOW.toMillis() + 200);
        Peers.Result again = f.curl("-H", "Content-Type: application/pkcs10", "--data-binary", "not base64!", f.est("simpleenroll"));
        assertEquals("400", again.out(), f.body());
    }
}
