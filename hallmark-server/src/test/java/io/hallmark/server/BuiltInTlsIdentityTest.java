package io.hallmark.server;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.server.tls.TlsSource;
import io.hallmark.store.JdbcStore;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The server's own certificate (from clients-ca): renewed while serving without dropping a connection, served again
 * after a restart instead of a new one, and never issued by a start that cannot take its ports.
 */
class BuiltInTlsIdentityTest {

    @TempDir
    Path dir;

    @Test
    void renewedWhileServingAndAConnectionOpenedBeforeKeepsWorking() throws Exception {
        Peers.tool("openssl");
        // The hierarchy file's way of setting the server profile's validity, at a scale a test can wait for:
        // 9 s, renewed at two thirds, 6 s after issuance.
        Profile p = Profiles.SERVER;
        Profile short9s = new Profile(p.name(), p.kind(), Validity.parse("9s"), p.keyUsage(), p.extendedKeyUsage(), p.requireSerialNumber(),
                p.onePerDevice(), p.hardwareModuleName(), p.keys());
        try (Hallmark hallmark = hallmark(new HierarchySpec(HierarchySpec.defaults().cas(), List.of(short9s)));
             HallmarkServer server = start(hallmark, 0, 0, List.of("127.0.0.1", "localhost"))) {
            SSLContext client = client(hallmark);
            String first = server.tlsIdentity().serial();
            try (SSLSocket before = connect(client, server)) {
                assertEquals("ok", get(before, "/healthz"));
                assertEquals(first, served(before), "the connection got the certificate the server says it serves");

                String renewed = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (renewed == null && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                    String now = opensslServes(server, hallmark);
                    if (!now.equals(first)) renewed = now;
                }
                assertNotNull(renewed, "no new certificate within 30 s of a 9 s one");
                assertEquals(renewed, server.tlsIdentity().serial());
                try (SSLSocket after = connect(client, server)) {
                    assertEquals("ok", get(after, "/healthz"), "a new connection gets the new certificate and is trusted with the root");
                    assertEquals(renewed, served(after));
                }
                // The same socket, the same TLS session, a second request after the renewal: keep-alive survived it.
                assertEquals("ok", get(before, "/healthz"));
                assertEquals(first, served(before));
                assertFalse(before.isClosed());
            }
            List<CertificateRecord> servers = serverCertificates(hallmark);
            assertTrue(servers.size() >= 2, "both recorded: " + servers);
            assertTrue(servers.stream().allMatch(r -> Duration.between(r.notBefore(), r.notAfter()).equals(Duration.ofSeconds(9))));
        }
    }

    @Test
    void aRestartServesTheKeptCertificateAndRecordsNothing() throws Exception {
        try (Hallmark hallmark = hallmark(HierarchySpec.defaults())) {
            String first;
            try (HallmarkServer server = start(hallmark, 0, 0, List.of("127.0.0.1", "localhost"))) {
                first = server.tlsIdentity().serial();
                assertEquals(first, served(connect(client(hallmark), server)));
            }
            Path kept = dir.resolve("tls/server.pem");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept.getParent())));
            String pem = Files.readString(kept);
            assertTrue(pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") && !pem.contains("BEGIN PRIVATE KEY"), "the key is kept sealed");
            List<String> recorded = serverSerials(hallmark);
            assertEquals(List.of(first), recorded);

            try (HallmarkServer again = start(hallmark, 0, 0, List.of("127.0.0.1", "localhost"))) {
                assertEquals(first, again.tlsIdentity().serial());
                assertEquals(first, served(connect(client(hallmark), again)));
            }
            assertEquals(recorded, serverSerials(hallmark), "a restart issues no server certificate");

            // Other names: the kept certificate does not cover them, so a new one is issued and kept.
            try (HallmarkServer renamed = start(hallmark, 0, 0, List.of("pki.example.test", "127.0.0.1"))) {
                assertNotEquals(first, renamed.tlsIdentity().serial());
                assertEquals(List.of("pki.example.test"), dnsNames(renamed.tlsIdentity().leaf()));
            }
            assertEquals(2, serverCertificates(hallmark).size());
        }
    }

    @Test
    void aStartThatCannotTakeItsPortsIssuesNothing() throws Exception {
        try (Hallmark hallmark = hallmark(HierarchySpec.defaults());
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long certificates = hallmark.store().read(tx -> tx.certificates().count());
            long audit = hallmark.verifyAudit().entries();
            int port = taken.getLocalPort();
            for (int[] ports : new int[][]{{port, 0}, {0, port}}) {
                HallmarkException e = assertThrows(HallmarkException.class, () -> start(hallmark, ports[0], ports[1], List.of("127.0.0.1")));
                assertEquals(HallmarkException.Kind.CONFLICT, e.kind());
                assertEquals("cannot listen on 127.0.0.1:" + port + ": the address is in use (another server running?)", e.getMessage());
            }
            assertEquals(certificates, (long) hallmark.store().read(tx -> tx.certificates().count()), "no server certificate recorded");
            assertEquals(audit, hallmark.verifyAudit().entries());
            assertFalse(Files.exists(dir.resolve("tls")));
            // And the ports it did take are free again: a start on them now works.
            taken.close();
            try (HallmarkServer server = start(hallmark, port, 0, List.of("127.0.0.1"))) {
                assertEquals(port, server.httpsUri().getPort());
            }
        }
    }

    private Hallmark hallmark(HierarchySpec spec) {
        JdbcStore store = JdbcStore.open(dir.resolve("data"), null);
        KeyVaults vaults = new KeyVaults(new SoftwareKeyVault(dir.resolve("keys"), new Passphrase("test passphrase".toCharArray(), "test", false)));
        Hallmark hallmark = new Hallmark(store, vaults, Clock.systemUTC());
        hallmark.init(spec, "test");
        return hallmark;
    }

    private HallmarkServer start(Hallmark hallmark, int httpsPort, int httpPort, List<String> names) throws Exception {
        return HallmarkServer.start(hallmark, new HallmarkServer.Options("127.0.0.1", httpsPort, "127.0.0.1", httpPort, names,
                dir.resolve("logs"), Duration.ofSeconds(60), new TlsSource.BuiltIn(dir.resolve("tls"))));
    }

    private static List<CertificateRecord> serverCertificates(Hallmark hallmark) {
        return hallmark.store().read(tx -> tx.certificates().find(new CertificateQuery(null, "clients-ca", "server", null, 100)));
    }

    private static List<String> serverSerials(Hallmark hallmark) {
        return serverCertificates(hallmark).stream().map(CertificateRecord::serial).sorted().toList();
    }

    /** A TLS client trusting Hallmark's root only, as a device or an operator's tool is configured. */
    private static SSLContext client(Hallmark hallmark) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", hallmark.cas().get("root").x509());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static SSLSocket connect(SSLContext client, HallmarkServer server) throws Exception {
        // A context per connection would do too; a fresh socket with no session to resume is what matters here.
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(server.httpsUri().getHost(), server.httpsUri().getPort());
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static String served(SSLSocket socket) throws Exception {
        return Serials.hex(((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber());
    }

    /** One keep-alive HTTP/1.1 request on the socket; the body of its answer, which must be a 200. */
    private static String get(SSLSocket socket, String path) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) fail("connection closed after: " + head);
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        assertTrue(headers.startsWith("HTTP/1.1 200"), headers);
        assertFalse(headers.toLowerCase().contains("connection: close"), headers);
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(headers);
        assertTrue(length.find(), headers);
        return new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.US_ASCII).strip();
    }

    /** The serial of the certificate OpenSSL is served on a new connection, verified against the root. */
    private String opensslServes(HallmarkServer server, Hallmark hallmark) throws Exception {
        Path root = dir.resolve("root.pem");
        if (!Files.exists(root)) Files.writeString(root, Pem.certificate(hallmark.cas().get("root").certificate()));
        Peers.Result r = Peers.run(dir, "openssl", "s_client", "-connect", "127.0.0.1:" + server.httpsUri().getPort(), "-CAfile", root.toString(),
                "-verify_return_error", "-verify_hostname", "localhost");
        assertEquals(0, r.exit(), r::all);
        Matcher pem = Pattern.compile("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----").matcher(r.out());
        assertTrue(pem.find(), r::all);
        return Serials.hex(Pem.x509(Pem.derOf(pem.group().getBytes(StandardCharsets.US_ASCII), "CERTIFICATE")).getSerialNumber());
    }

    private static List<String> dnsNames(X509Certificate cert) throws Exception {
        return cert.getSubjectAlternativeNames().stream().filter(n -> (Integer) n.get(0) == 2).map(n -> (String) n.get(1)).toList();
    }
}
