package io.hallmark.cli;

import io.hallmark.core.crypto.Pem;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * serve's TLS identity as an operator meets it: a certificate and key made by OpenSSL, served exactly and replaced
 * without a restart; unusable files refused in one line; and a port in use said as such, with nothing issued.
 */
class ServeTlsTest {

    private static final Pattern PEM = Pattern.compile("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----");

    @TempDir
    Path dir;

    @Test
    void anOperatorsCertificateIsServedAndReplacedWithoutARestart() throws Exception {
        Peers.tool("openssl");
        Path data = dir.resolve("data");
        assertEquals(0, Cli.run(data, "init").exit());
        String serversBefore = serverCertificates(data);

        // A load balancer's CA of its own, and two server certificates from it: P-256 with a PKCS#8 key, then
        // RSA with a traditional ("RSA PRIVATE KEY") one. The certificate files carry the chain, leaf first.
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "30", "-subj", "/CN=Test LB CA");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "a.key");
        openssl("genrsa", "-traditional", "-out", "b.key", "2048");
        assertTrue(Files.readString(dir.resolve("a.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(dir.resolve("b.key")).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        Path a = leaf("a", "lb-a.example.test");
        Path b = leaf("b", "lb-b.example.test");

        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        Files.copy(a, cert);
        Files.copy(dir.resolve("a.key"), key);
        Serve serve = Serve.start(data, "--tls-cert", cert.toString(), "--tls-key", key.toString());
        try {
            List<String> served = sClient(serve.port);
            assertEquals(2, served.size(), "the chain is sent as given: " + served);
            assertEquals(certificates(a), served, "exactly the operator's certificate and chain");

            // Replaced as an operator would: each file written beside and moved over the old one, the key first.
            replace(dir.resolve("b.key"), key);
            replace(b, cert);
            List<String> expected = certificates(b);
            within(Duration.ofSeconds(30), "the new certificate served", () -> {
                List<String> now = sClient(serve.port);
                return now.equals(expected) ? null : "still " + now.getFirst().substring(0, 80);
            });
            assertTrue(serve.output().contains("TLS: reloaded " + cert), serve.output());

            // A certificate that does not go with the key: refused, the one served stays.
            int refusals = count(serve.output(), "TLS: refused the changed");
            replace(a, cert);
            within(Duration.ofSeconds(30), "the refusal logged", () -> count(serve.output(), "TLS: refused the changed") > refusals ? null : serve.output());
            assertTrue(serve.output().contains("the key in " + key + " does not match the certificate in " + cert), serve.output());
            assertEquals(expected, sClient(serve.port));
            assertTrue(serve.alive(), serve.output());
        } finally {
            serve.stop();
        }
        assertEquals(serversBefore, serverCertificates(data), "an operator's certificate issues nothing");
        assertFalse(Files.exists(data.resolve("tls")), "nor keeps anything");
    }

    @Test
    void unusableFilesAreRefusedInOneLineBeforeAnythingIsOpened() throws Exception {
        Peers.tool("openssl");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "30", "-subj", "/CN=Test LB CA");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "a.key");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other.key");
        Path a = leaf("a", "lb.example.test");
        openssl("req", "-new", "-key", "a.key", "-subj", "/CN=old", "-out", "old.csr");
        openssl("x509", "-req", "-in", "old.csr", "-signkey", "a.key", "-days", "-1", "-out", "expired.pem"); // notAfter before now
        openssl("pkey", "-in", "a.key", "-aes256", "-passout", "pass:a passphrase", "-out", "encrypted.key");
        Files.writeString(dir.resolve("reversed.pem"), Files.readString(dir.resolve("ca.pem")) + Files.readString(dir.resolve("a.pem")));
        Path data = dir.resolve("data");

        refused(data, a, dir.resolve("other.key"), "the key in " + dir.resolve("other.key") + " does not match the certificate in " + a
                + " (CN=lb.example.test)");
        refused(data, dir.resolve("expired.pem"), dir.resolve("a.key"), "the certificate in " + dir.resolve("expired.pem") + " (CN=old) expired at ");
        refused(data, dir.resolve("missing.pem"), dir.resolve("a.key"), "cannot read " + dir.resolve("missing.pem") + ": no such file");
        refused(data, a, dir.resolve("encrypted.key"), dir.resolve("encrypted.key") + " holds an encrypted private key: give it unencrypted");
        refused(data, dir.resolve("reversed.pem"), dir.resolve("a.key"), "the key in " + dir.resolve("a.key") + " belongs to certificate 2 in "
                + dir.resolve("reversed.pem") + " (CN=lb.example.test): the server's own certificate must come first, then its chain");
        refused(data, dir.resolve("a.key"), dir.resolve("a.key"), dir.resolve("a.key") + " holds no certificate");
        refused(data, a, a, a + " holds no private key");
        assertFalse(Files.exists(data), "nothing was opened or created");

        Cli.Run alone = Cli.run(data, "serve", "--tls-cert", a.toString());
        assertEquals(ExitCodes.USAGE, alone.exit(), alone::toString);
        assertTrue(alone.err().startsWith("hallmark: Error: Missing required argument(s): --tls-key=FILE"), alone::toString);
    }

    @Test
    void aPortInUseIsSaidInOneLineAndIssuesNothing() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, Cli.run(data, "init").exit());
        String before = serverCertificates(data);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            for (String[] listen : new String[][]{{address, "127.0.0.1:0"}, {"127.0.0.1:0", address}}) {
                Cli.Run r = Cli.run(data, "serve", "--listen", listen[0], "--http-listen", listen[1]);
                assertEquals(ExitCodes.CONFLICT, r.exit(), r::toString);
                assertEquals("hallmark: cannot listen on " + address + ": the address is in use (another server running?)\n", r.err(), r::toString);
                assertEquals("", r.out());
            }
        }
        assertEquals(before, serverCertificates(data), "cert list --profile server unchanged");
        assertFalse(Files.exists(data.resolve("tls")));
    }

    private void refused(Path data, Path cert, Path key, String message) {
        Cli.Run r = Cli.run(data, "serve", "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", "--tls-cert", cert.toString(),
                "--tls-key", key.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
        assertTrue(r.err().startsWith("hallmark: " + message), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
    }

    private static String serverCertificates(Path data) {
        Cli.Run r = Cli.run(data, "cert", "list", "--profile", "server", "--json");
        assertEquals(0, r.exit(), r::toString);
        return r.out();
    }

    /** A server certificate for {@code name} and 127.0.0.1 from the test CA; the file holds it, then the CA's. */
    private Path leaf(String base, String name) throws Exception {
        Files.writeString(dir.resolve(base + ".ext"), "subjectAltName=DNS:" + name + ",IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        openssl("req", "-new", "-key", base + ".key", "-subj", "/CN=" + name, "-out", base + ".csr");
        openssl("x509", "-req", "-in", base + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "30",
                "-extfile", base + ".ext", "-out", base + ".pem");
        Path full = dir.resolve(base + "-fullchain.pem");
        Files.writeString(full, Files.readString(dir.resolve(base + ".pem")) + Files.readString(dir.resolve("ca.pem")));
        return full;
    }

    private void openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Peers.Result r = Peers.run(dir, cmd);
        assertEquals(0, r.exit(), r::all);
    }

    /** The chain OpenSSL is sent on a new connection, verified against the test CA, as base64 DER. */
    private List<String> sClient(int port) {
        Peers.Result r = Peers.run(dir, "openssl", "s_client", "-connect", "127.0.0.1:" + port, "-CAfile", "ca.pem", "-verify_return_error",
                "-verify_ip", "127.0.0.1", "-showcerts");
        assertEquals(0, r.exit(), r::all);
        List<String> chain = new ArrayList<>();
        Matcher m = PEM.matcher(r.out());
        while (m.find()) chain.add(base64(m.group()));
        return chain;
    }

    private static List<String> certificates(Path pem) throws Exception {
        List<String> out = new ArrayList<>();
        Matcher m = PEM.matcher(Files.readString(pem));
        while (m.find()) out.add(base64(m.group()));
        return out;
    }

    private static String base64(String pem) {
        return java.util.Base64.getEncoder().encodeToString(Pem.derOf(pem.getBytes(StandardCharsets.US_ASCII), "CERTIFICATE"));
    }

    private static void replace(Path from, Path to) throws Exception {
        Path tmp = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    /** @param check null once satisfied, else what it saw */
    private static void within(Duration limit, String what, Supplier<String> check) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        String seen;
        while ((seen = check.get()) != null) {
            if (System.nanoTime() > end) fail(what + " not within " + limit.toSeconds() + " s: " + seen);
            Thread.sleep(500);
        }
    }

    /** 'hallmark serve' as its own process, as an operator runs it; its output is collected as it comes. */
    private record Serve(Process process, int port, StringBuffer out) {

        static Serve start(Path data, String... options) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "io.hallmark.cli.Main", "--data", data.toString(), "serve", "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"));
            cmd.addAll(List.of(options));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            StringBuffer out = new StringBuffer();
            Pattern listening = Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+)");
            java.util.concurrent.CompletableFuture<Integer> port = new java.util.concurrent.CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        out.append(line).append('\n');
                        Matcher m = listening.matcher(line);
                        if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
                port.complete(-1);
            }, "serve-output");
            reader.setDaemon(true);
            reader.start();
            int https = port.get(120, TimeUnit.SECONDS);
            if (https < 0) {
                p.destroyForcibly();
                fail("serve never said it was listening:\n" + out);
            }
            return new Serve(p, https, out);
        }

        String output() {
            return out.toString();
        }

        boolean alive() {
            return process.isAlive();
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
