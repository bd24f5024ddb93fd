package io.hallmark.server;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.principal.Role;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console in a real headless Chromium: sign in, find a device, revoke its LDevID after the confirmation page,
 * see it revoked; an auditor sees but cannot revoke; a change without the CSRF token is refused; no CSP violation.
 */
class ConsoleBrowserTest {

    @TempDir
    static Path dir;
    static ServerFixture f;
    static String admin;
    static String auditor;
    static final Path SHOTS = Path.of("target", "console-screenshots");

    @BeforeAll
    static void start() throws Exception {
        Peers.tool("chromium");
        Peers.file(Path.of("/usr/bin/chromedriver"), "chromium-driver");
        f = ServerFixture.start(dir);
        admin = f.hallmark.credentials().createToken(Role.ADMIN, "console-admin", "test");
        auditor = f.hallmark.credentials().createToken(Role.AUDITOR, "console-auditor", "test");
        for (String device : List.of("CON-1", "CON-2", "OTHER-1")) {
            issue("idevid-ca", "idevid", device);
            issue("ldevid-ca", "ldevid", device);
        }
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    static String issue(String ca, String profile, String device) {
        var keys = KeyAlgorithm.EC_P256.generate();
        return f.hallmark.issuer().issue(new IssuanceRequest(ca, profile, Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=" + device)),
                device, null, "test")).certificate().serial();
    }

    static WebDriver browser() throws Exception {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(Peers.tool("chromium").toString());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
        o.setAcceptInsecureCerts(true); // the server's certificate chains to this test's own root
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }

    static String url(String path) {
        return f.server.httpsUri() + path;
    }

    static void signIn(WebDriver b, String token) {
        b.get(url("/"));
        assertTrue(b.getPageSource().contains("Sign in"), "the login page, not data");
        b.findElement(By.id("token")).sendKeys(token);
        b.findElement(By.id("sign-in")).click();
        wait(b).until(d -> d.findElements(By.id("overall")).size() == 1);
    }

    static WebDriverWait wait(WebDriver b) {
        return new WebDriverWait(b, Duration.ofSeconds(15));
    }

    static void screenshot(WebDriver b, String name) throws Exception {
        Files.write(SHOTS.resolve(name), ((TakesScreenshot) b).getScreenshotAs(OutputType.BYTES));
    }

    static void assertNoCspViolation(WebDriver b) {
        var entries = b.manage().logs().get(LogType.BROWSER).getAll();
        for (var e : entries) {
            assertFalse(e.getMessage().contains("Content Security Policy") || e.getMessage().contains("Refused to"), e::getMessage);
        }
    }

    @Test
    void anOperatorFindsADeviceAndRevokesItsLdevid() throws Exception {
        WebDriver b = browser();
        try {
            signIn(b, admin);
            wait(b).until(d -> "true".equals(d.findElement(By.id("radar")).getDomAttribute("data-drawn")));
            wait(b).until(d -> "true".equals(d.findElement(By.id("expiry")).getDomAttribute("data-drawn")));
            assertEquals("3", b.findElement(By.id("count-devices")).getText(), "three devices with an IDevID");
            screenshot(b, "overview.png");

            b.findElement(By.linkText("Devices")).click();
            b.findElement(By.id("device-search")).sendKeys("CON");
            // htmx replaces the results as the operator types
            wait(b).until(d -> d.findElements(By.linkText("OTHER-1")).isEmpty() && !d.findElements(By.linkText("CON-2")).isEmpty());
            b.findElement(By.linkText("CON-1")).click();
            wait(b).until(d -> d.findElements(By.id("device-id")).size() == 1);
            assertEquals("CON-1", b.findElement(By.id("device-id")).getText());
            screenshot(b, "device.png");

            var rows = b.findElements(By.cssSelector("table.certs"));
            assertEquals(2, rows.size(), "IDevID and LDevID tables");
            WebElement ldevid = rows.get(1).findElement(By.cssSelector("td a"));
            String serial = ldevid.getText();
            ldevid.click();
            b.findElement(By.id("revoke")).click();
            assertTrue(b.getPageSource().contains("Revoke certificate " + serial + "?"), "a confirmation page first");
            assertNull(f.hallmark.store().read(tx -> tx.certificates().find(serial)).orElseThrow().revocation(), "nothing revoked before confirming");
            new Select(b.findElement(By.id("reason"))).selectByValue("keyCompromise");
            b.findElement(By.id("confirm-revoke")).click();
            wait(b).until(d -> d.findElements(By.id("cert-status")).size() == 1);
            assertTrue(b.findElement(By.id("cert-status")).getText().startsWith("revoked (keyCompromise"), b.findElement(By.id("cert-status")).getText());
            assertNotNull(f.hallmark.store().read(tx -> tx.certificates().find(serial)).orElseThrow().revocation());

            b.get(url("/devices/CON-1"));
            assertTrue(b.findElements(By.cssSelector("table.certs")).get(1).getText().contains("revoked"));
            b.get(url("/audit"));
            assertTrue(b.findElement(By.id("audit-status")).getText().startsWith("Chain intact"));
            b.get(url("/posture?hardware-keys=40&root-in-hsm=on"));
            wait(b).until(d -> "true".equals(d.findElement(By.id("radar")).getDomAttribute("data-drawn")));
            screenshot(b, "posture.png");
            assertNoCspViolation(b);
        } finally {
            b.quit();
        }
    }

    @Test
    void anAuditorViewsButCannotRevoke() throws Exception {
        String serial = issue("ldevid-ca", "ldevid", "AUD-1");
        WebDriver b = browser();
        try {
            signIn(b, auditor);
            b.get(url("/certificates/" + serial));
            assertEquals("valid", b.findElement(By.id("cert-status")).getText());
            assertTrue(b.findElements(By.id("revoke")).isEmpty(), "no revoke button for an auditor");
            b.get(url("/certificates/" + serial + "/revoke"));
            assertTrue(b.getPageSource().contains("may not revoke"), b.getPageSource());

            // Even with its own session's CSRF token, the server refuses.
            String cookie = b.manage().getCookieNamed("hallmark_session").getValue();
            b.get(url("/"));
            String csrf = csrfOf(b.getPageSource());
            var r = post("/certificates/" + serial + "/revoke", cookie, "csrf=" + csrf + "&reason=keyCompromise");
            assertEquals(403, r.statusCode(), r.body());
            assertNull(f.hallmark.store().read(tx -> tx.certificates().find(serial)).orElseThrow().revocation());
            assertNoCspViolation(b);
        } finally {
            b.quit();
        }
    }

    /**
     * A factory batch followed live: the batches page polls its fragment every 2 s while a batch runs, shows its progress
     * reach done, and stops polling once none runs. An auditor may follow it (reading), as in the API.
     */
    @Test
    void aFactoryBatchsProgressIsFollowedLiveUntilDone() throws Exception {
        int devices = 6;
        java.util.concurrent.CompletableFuture<String> id = new java.util.concurrent.CompletableFuture<>();
        int[] sent = {0};
        // One device every 700 ms, a chunk each: the batch runs about four seconds, long enough to be seen running.
        io.hallmark.core.factory.ItemSource paced = () -> {
            if (sent[0] == devices) return null;
            Thread.sleep(700);
            var keys = KeyAlgorithm.EC_P256.generate();
            String csr = java.util.Base64.getEncoder().encodeToString(Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=factory")));
            return io.hallmark.core.factory.BatchItem.of(new io.hallmark.core.factory.FactoryItem("LIVE-" + System.nanoTime() + "-" + sent[0]++, csr,
                    null, null, "secure-element"));
        };
        var batch = io.hallmark.core.factory.FactoryBatch.of("idevid-ca", "idevid", io.hallmark.core.authorize.Grant.operator("cli:line-lead"))
                .withChunkSize(1).withWorkers(1).withDeclared((long) devices);
        Thread runner = new Thread(() -> f.hallmark.factory().run(batch, paced, new io.hallmark.core.factory.ResultSink() {
            @Override
            public void started(String batchId) {
                id.complete(batchId);
            }

            @Override
            public void accept(io.hallmark.core.factory.BatchOutcome outcome) {
            }
        }));
        WebDriver b = browser();
        try {
            signIn(b, auditor);
            runner.start();
            String batchId = id.get(10, java.util.concurrent.TimeUnit.SECONDS);
            b.findElement(By.linkText("Factory")).click();
            wait(b).until(d -> d.findElements(By.id("batch-" + batchId)).size() == 1);
            assertEquals("running", b.findElement(By.cssSelector("#batch-" + batchId + " td.state")).getText());
            assertEquals("every 2s", b.findElement(By.id("batches")).getDomAttribute("hx-trigger"), "polls while a batch runs");
            screenshot(b, "factory-running.png");
            // No reload: htmx swaps the fragment in as chunks commit, until the batch is done.
            new WebDriverWait(b, Duration.ofSeconds(30)).until(d -> "done".equals(d.findElement(By.cssSelector("#batch-" + batchId + " td.state")).getText()));
            assertEquals(devices + " / " + devices, b.findElement(By.cssSelector("#batch-" + batchId + " td.items-done")).getText());
            assertNull(b.findElement(By.id("batches")).getDomAttribute("hx-trigger"), "polling stops once no batch runs");
            assertEquals("false", b.findElement(By.id("batches")).getDomAttribute("data-polling"));
            screenshot(b, "factory-done.png");

            b.findElement(By.linkText(batchId)).click();
            wait(b).until(d -> d.findElements(By.id("batch-state")).size() == 1);
            assertEquals("done", b.findElement(By.id("batch-state")).getText());
            assertEquals(devices + " of " + devices, b.findElement(By.id("batch-done")).getText());
            assertNoCspViolation(b);
            runner.join(10_000);
        } finally {
            b.quit();
        }
    }

    @Test
    void changesNeedTheSessionsCsrfTokenAndNobodyGetsDataUnauthenticated() throws Exception {
        String serial = issue("ldevid-ca", "ldevid", "CSRF-1");
        var login = post("/login", null, "token=" + admin);
        assertEquals(303, login.statusCode());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("Secure") && setCookie.contains("SameSite=Strict"), setCookie);
        String cookie = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));

        assertEquals(403, post("/certificates/" + serial + "/revoke", cookie, "reason=keyCompromise").statusCode(), "no token");
        assertEquals(403, post("/certificates/" + serial + "/revoke", cookie, "csrf=forged&reason=keyCompromise").statusCode(), "a wrong token");
        String otherCsrf = csrfOf(get("/", sessionOf(post("/login", null, "token=" + admin))).body());
        assertEquals(403, post("/certificates/" + serial + "/revoke", cookie, "csrf=" + otherCsrf + "&reason=keyCompromise").statusCode(),
                "another session's token");
        assertNull(f.hallmark.store().read(tx -> tx.certificates().find(serial)).orElseThrow().revocation());

        var page = get("/", cookie);
        assertEquals(200, page.statusCode());
        var h = page.headers();
        assertTrue(h.firstValue("Content-Security-Policy").orElseThrow().contains("default-src 'self'"));
        assertTrue(h.firstValue("Content-Security-Policy").orElseThrow().contains("frame-ancestors 'none'"));
        assertEquals("DENY", h.firstValue("X-Frame-Options").orElseThrow());
        assertEquals("nosniff", h.firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("no-referrer", h.firstValue("Referrer-Policy").orElseThrow());
        for (String path : List.of("/", "/cas", "/devices", "/devices/CON-2", "/certificates/" + serial, "/audit", "/posture")) {
            String html = get(path, cookie).body();
            assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)", Pattern.CASE_INSENSITIVE).matcher(html).find(), path + ": inline script");
            assertFalse(Pattern.compile("<style|\\sstyle=|\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(html).find(), path + ": inline style or handler");
        }

        var anonymous = get("/devices/CON-2", null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.body().contains("Sign in") && !anonymous.body().contains("CON-2"), "the login page, never data");
        assertEquals(401, get("/devices/CON-2", "forged.cookie").statusCode());
        assertEquals(401, get("/api/v1/devices/CON-2", null).statusCode());
        assertEquals(401, post("/login", null, "token=hmk_nope_nope").statusCode());
    }

    private static String csrfOf(String html) {
        var m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), html);
        return m.group(1);
    }

    private static String sessionOf(HttpResponse<String> login) {
        String c = login.headers().firstValue("Set-Cookie").orElseThrow();
        return c.substring(c.indexOf('=') + 1, c.indexOf(';'));
    }

    private static HttpClient client() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", TestTls.certificate(f.root));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).build();
    }

    private static HttpResponse<String> get(String path, String cookie) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url(path))).GET();
        if (cookie != null) b.header("Cookie", "hallmark_session=" + cookie);
        return client().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String cookie, String form) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.ofString(form))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (cookie != null) b.header("Cookie", "hallmark_session=" + cookie);
        return client().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
