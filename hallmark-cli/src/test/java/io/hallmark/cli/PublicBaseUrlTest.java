package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.Hallmark;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.server.HallmarkServer;
import io.hallmark.store.JdbcStore;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The public base URL: quickstart --hostname puts the name into the CRL and OCSP URLs of what it issues and into
 * the server's TLS certificate; a loopback base URL is warned about, and never-expiring profiles refuse it on
 * every path (hallmark issue, EST, a factory batch) unless the publication setting allows it.
 */
class PublicBaseUrlTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Cli.Run ok(Path data, String... args) {
        return Cli.ok(data, args);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private String text(Path cert) {
        Peers.Result r = Peers.run(dir, "openssl", "x509", "-noout", "-text", "-in", cert.toString());
        assertEquals(0, r.exit(), r::all);
        return r.out();
    }

    private static int certificates(Path data, String profile) throws Exception {
        int n = 0;
        for (JsonNode row : JSON.readTree(ok(data, "cert", "list", "--json").out())) {
            if (row.path("profile").asText().equals(profile)) n++;
        }
        return n;
    }

    @Test
    void quickstartWithAHostnameServesItAndCertificatesCarryIt() throws Exception {
        Path curl = Peers.tool("curl");
        Peers.tool("openssl");
        Path data = dir.resolve("data");
        int https = freePort(), http = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.hallmark.cli.Main", "--data", data.toString(), "quickstart", "--hostname", "PKI.Example.Test", "--devices", "2",
                "--listen", "127.0.0.1:" + https, "--http-listen", "127.0.0.1:" + http).redirectErrorStream(true).start();
        try {
            StringBuilder seen = new StringBuilder();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.contains("(OCSP, CRLs)")) break;
            }
            assertTrue(seen.toString().contains("listening on https://"), "never said it was listening:\n" + seen);
            String base = "http://pki.example.test:" + http;
            assertTrue(seen.toString().contains("  base URL:     " + base + "\n"), seen::toString);
            assertFalse(seen.toString().contains("WARNING: the publication base URL"), seen::toString);
            assertTrue(seen.toString().contains("https://pki.example.test:" + https + "/.well-known/est/simpleenroll"), "the hint names the host:\n" + seen);

            // The demo IDevIDs point at the name...
            String demo = text(data.resolve("demo/DEMO-0001.pem"));
            assertTrue(demo.contains("URI:" + base + "/crl/idevid-ca.crl"), demo);
            assertTrue(demo.contains("OCSP - URI:" + base + "/ocsp"), demo);
            assertTrue(demo.contains("CA Issuers - URI:" + base + "/ca/idevid-ca.crt"), demo);
            // ...and the server answers under it: TLS verified against the name, the CRL and OCSP where the certificate says.
            String resolveHttps = "pki.example.test:" + https + ":127.0.0.1", resolveHttp = "pki.example.test:" + http + ":127.0.0.1";
            Peers.Result health = Peers.run(dir, curl.toString(), "-sS", "--resolve", resolveHttps, "--cacert", data.resolve("ca/root.pem").toString(),
                    "https://pki.example.test:" + https + "/healthz");
            assertEquals("ok", health.out().strip(), health::all);
            Peers.Result crl = Peers.run(dir, curl.toString(), "-sS", "-o", "idevid-ca.crl", "-w", "%{http_code}", "--resolve", resolveHttp,
                    base + "/crl/idevid-ca.crl");
            assertEquals("200", crl.out(), crl::all);
            Peers.Result ocsp = Peers.run(dir, "openssl", "ocsp", "-issuer", data.resolve("ca/idevid-ca.pem").toString(),
                    "-cert", data.resolve("demo/DEMO-0001.pem").toString(), "-url", "http://127.0.0.1:" + http + "/ocsp",
                    "-header", "Host=pki.example.test:" + http, "-CAfile", data.resolve("ca/root.pem").toString());
            assertTrue(ocsp.out().contains(": good"), ocsp::all);
            Peers.Result san = Peers.run(dir, "sh", "-c", "openssl s_client -connect 127.0.0.1:" + https + " -servername pki.example.test </dev/null 2>/dev/null"
                    + " | openssl x509 -noout -ext subjectAltName");
            assertTrue(san.out().contains("DNS:pki.example.test"), san::all);

            JsonNode shown = JSON.readTree(ok(data, "publication", "--json").out());
            assertEquals(base, shown.path("baseUrl").asText());
            assertFalse(shown.path("loopback").asBoolean(true));
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            p.destroyForcibly();
        }
    }

    @Test
    void aLoopbackBaseUrlIsWarnedAboutAndRefusedForNeverExpiringCertificatesOnEveryPath() throws Exception {
        Path curl = Peers.tool("curl");
        Peers.tool("openssl");
        Path data = dir.resolve("data");
        Cli.Run quick = ok(data, "quickstart", "--no-serve", "--devices", "1");
        assertTrue(quick.err().contains("WARNING: the publication base URL http://127.0.0.1:8080 names this machine only, and every certificate "
                + "issued carries it as its CRL and OCSP location (never-expiring IDevIDs are refused).\n"
                + "  Set the name devices reach: hallmark publication --base-url http://NAME:8080  (or quickstart --hostname NAME)\n"), quick::toString);
        // serve says it again at every start, before it binds (here it cannot: the port is taken, so it stops there).
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Cli.Run serve = Cli.run(data, "serve", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--http-listen", "127.0.0.1:0");
            assertTrue(serve.err().startsWith("WARNING: the publication base URL http://127.0.0.1:8080 names this machine only"), serve::toString);
        }
        assertFalse(text(data.resolve("demo/DEMO-0001.pem")).contains("CRL Distribution Points"), "the demo IDevID carries no loopback URL");
        String shown = ok(data, "publication").out();
        assertTrue(shown.contains("http://127.0.0.1:8080 (loopback: reachable from this machine only)") && shown.contains("refused in never-expiring certificates"), shown);
        JsonNode json = JSON.readTree(ok(data, "publication", "--json").out());
        assertTrue(json.path("loopback").asBoolean() && !json.path("allowLoopbackUrls").asBoolean(true) && json.path("partitions").isObject(), json::toString);

        String refusal = "hallmark: profile idevid issues certificates that never expire, and the publication base URL http://127.0.0.1:8080 "
                + "is a loopback address they would carry for good: set the public one with 'hallmark publication --base-url http://NAME:PORT' "
                + "(or, for a lab, 'hallmark publication --allow-loopback-urls')\n";
        int idevids = certificates(data, "idevid");
        // hallmark issue
        Cli.Run issue = Cli.run(data, "issue", "--ca", "idevid-ca", "--profile", "idevid", "--generate-key", "--subject", "CN=dev",
                "--serial-number", "DEV-1", "--out", dir.resolve("dev1.pem").toString());
        assertEquals(ExitCodes.BAD_INPUT, issue.exit(), issue::toString);
        assertEquals(refusal, issue.err());
        // a factory batch
        Cli.Run batch = Cli.run(data, "factory", "run", "--simulate", "3", "--prefix", "LOOP-", "--out", dir.resolve("batch").toString());
        assertEquals(ExitCodes.BAD_INPUT, batch.exit(), batch::toString);
        assertTrue(batch.err().endsWith(refusal), batch::toString);
        // EST, through a label that issues IDevIDs; the demo IDevID authenticates the device
        ok(data, "est", "label", "set", "--name", "forever", "--ca", "idevid-ca", "--profile", "idevid");
        Peers.Result key = Peers.run(dir, "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "est.key", "-subj", "/CN=demo", "-outform", "DER", "-out", "est.der");
        assertEquals(0, key.exit(), key::all);
        Files.writeString(dir.resolve("est.b64"), Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("est.der"))));
        try (Hallmark hallmark = new Hallmark(JdbcStore.open(data, null),
                new KeyVaults(new SoftwareKeyVault(data.resolve("keys"), () -> Passphrase.resolve(data, false))), Clock.systemUTC());
             HallmarkServer server = HallmarkServer.start(hallmark, new HallmarkServer.Options("127.0.0.1", 0, "127.0.0.1", 0, List.of("127.0.0.1"), null))) {
            Peers.Result est = Peers.run(dir, curl.toString(), "-sS", "-o", "est.response", "-w", "%{http_code}",
                    "--cert", data.resolve("demo/DEMO-0001.pem").toString(), "--key", data.resolve("demo/DEMO-0001.key").toString(),
                    "--cacert", data.resolve("ca/root.pem").toString(), "-H", "Content-Type: application/pkcs10", "--data-binary", "@est.b64",
                    server.httpsUri().resolve("/.well-known/est/forever/simpleenroll").toString());
            String body = Files.readString(dir.resolve("est.response"));
            assertEquals("400", est.out(), () -> est.all() + body);
            assertTrue(body.contains(refusal.substring("hallmark: ".length()).strip()), body);
        }
        assertEquals(idevids, certificates(data, "idevid"), "nothing was issued on any path");

        // Certificates that expire may carry it: they are renewed under a corrected setting.
        ok(data, "issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=ld", "--out", dir.resolve("ld.pem").toString());
        assertTrue(text(dir.resolve("ld.pem")).contains("URI:http://127.0.0.1:8080/crl/ldevid-ca.crl"));

        // A lab may allow it, and take it back.
        Cli.Run allow = ok(data, "publication", "--allow-loopback-urls");
        assertTrue(allow.err().contains("(never-expiring ones too: loopback URLs are allowed)"), allow::toString);
        assertTrue(allow.out().contains("allowed in never-expiring certificates"), allow::toString);
        ok(data, "issue", "--ca", "idevid-ca", "--profile", "idevid", "--generate-key", "--subject", "CN=dev", "--serial-number", "DEV-1",
                "--out", dir.resolve("dev1.pem").toString());
        assertTrue(text(dir.resolve("dev1.pem")).contains("URI:http://127.0.0.1:8080/crl/idevid-ca.crl"));
        ok(data, "publication", "--no-allow-loopback-urls");
        Cli.Run again = Cli.run(data, "issue", "--ca", "idevid-ca", "--profile", "idevid", "--generate-key", "--subject", "CN=dev",
                "--serial-number", "DEV-2", "--out", dir.resolve("dev2.pem").toString());
        assertEquals(refusal, again.err(), again::toString);

        // The public name: no warning, and IDevIDs carry it.
        Cli.Run named = ok(data, "publication", "--base-url", "http://pki.example.test:8080");
        assertEquals("", named.err(), named::toString);
        ok(data, "issue", "--ca", "idevid-ca", "--profile", "idevid", "--generate-key", "--subject", "CN=dev", "--serial-number", "DEV-2",
                "--out", dir.resolve("dev2.pem").toString());
        assertTrue(text(dir.resolve("dev2.pem")).contains("URI:http://pki.example.test:8080/crl/idevid-ca.crl"));
    }

    @Test
    void initTakesTheBaseUrlAndRefusesABadOneBeforeCreatingAnything() throws Exception {
        Path bad = dir.resolve("bad");
        Cli.Run r = Cli.run(bad, "init", "--base-url", "ftp://pki.example.test");
        assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
        assertEquals("hallmark: publication baseUrl 'ftp://pki.example.test' must be an http:// or https:// URL without query\n", r.err());
        assertFalse(Files.exists(bad), "nothing was created");
        Cli.Run url = Cli.run(bad, "quickstart", "--no-serve", "--hostname", "http://pki.example.test");
        assertEquals(ExitCodes.BAD_INPUT, url.exit(), url::toString);
        assertEquals("hallmark: --hostname takes a host name such as pki.example.com, not a URL ('http://pki.example.test'); the URL is made from it\n", url.err());
        Cli.Run odd = Cli.run(bad, "quickstart", "--no-serve", "--hostname", "pki_example.test");
        assertEquals(ExitCodes.BAD_INPUT, odd.exit(), odd::toString);
        assertFalse(Files.exists(bad), "nothing was created");

        Path data = dir.resolve("data");
        Cli.Run init = ok(data, "init", "--base-url", "http://pki.example.test:8080/");
        assertTrue(init.out().contains("publication base URL: http://pki.example.test:8080\n"), init::toString);
        assertFalse(init.err().contains("WARNING: the publication base URL"), init::toString);
        assertEquals("http://pki.example.test:8080", JSON.readTree(ok(data, "publication", "--json").out()).path("baseUrl").asText());

        Path local = dir.resolve("local");
        Cli.Run loop = ok(local, "init", "--json", "--base-url", "http://[::1]:8080");
        assertTrue(loop.err().contains("WARNING: the publication base URL http://[::1]:8080 names this machine only"), loop::toString);
        assertTrue(loop.err().contains("hallmark publication --base-url http://NAME:8080"), loop::toString);
        assertEquals("http://[::1]:8080", JSON.readTree(loop.out()).path("baseUrl").asText());

        Path none = dir.resolve("none");
        Cli.Run plain = ok(none, "init");
        assertTrue(plain.out().contains("publication base URL: (none: certificates carry no CRL or OCSP URL)"), plain::toString);
        Cli.Run help = ok(none, "init", "--help");
        assertTrue(help.out().contains("clients-ca") && help.out().contains("--base-url"), help::toString);
    }
}
