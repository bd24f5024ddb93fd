package io.hallmark.server;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The HTTPS listener offers AEAD suites only, as Mozilla's "intermediate" profile does: OpenSSL offers each
 * suite it knows for the server's ECDSA key alone, and GnuTLS tries CBC and AEAD priorities.
 */
class TlsCipherSuitesTest {

    /** Mozilla intermediate, TLS 1.2, for an ECDSA certificate (the RSA twins are configured too, for no RSA key). */
    private static final Set<String> TLS12_AEAD = Set.of("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-ECDSA-CHACHA20-POLY1305");

    @TempDir
    static Path dir;
    static ServerFixture f;
    static String connect;

    @BeforeAll
    static void start() throws Exception {
        Peers.tool("openssl");
        f = ServerFixture.start(dir);
        connect = f.server.httpsUri().getHost() + ":" + f.server.httpsUri().getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private static Peers.Result sClient(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", connect, "-CAfile", f.root.toString()));
        cmd.addAll(List.of(args));
        return Peers.run(dir, cmd);
    }

    @Test
    void tls12AcceptsExactlyTheAeadSuites() {
        // Every TLS 1.2 suite for an ECDSA key that this OpenSSL knows, SECLEVEL 0 so that it offers even the weak ones.
        Set<String> known = new TreeSet<>();
        for (String line : Peers.run(dir, "openssl", "ciphers", "-v", "aECDSA:@SECLEVEL=0").out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 1 && !f[1].equals("TLSv1.3")) known.add(f[0]);
        }
        assertTrue(known.containsAll(TLS12_AEAD) && known.contains("ECDHE-ECDSA-AES128-SHA256"), known.toString());
        Set<String> accepted = new TreeSet<>();
        for (String suite : known) {
            Peers.Result r = sClient("-tls1_2", "-cipher", suite + ":@SECLEVEL=0");
            if (r.exit() == 0) {
                assertTrue(r.out().contains("Cipher is " + suite), r.all());
                accepted.add(suite);
            }
        }
        assertEquals(new TreeSet<>(TLS12_AEAD), accepted);
        Peers.Result cbc = sClient("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256");
        assertNotEquals(0, cbc.exit(), cbc.all());
        assertTrue(cbc.all().contains("handshake failure"), cbc.all());
    }

    @Test
    void tls13OffersItsThreeSuitesAndOlderVersionsAreRefused() {
        for (String suite : List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")) {
            Peers.Result r = sClient("-tls1_3", "-ciphersuites", suite);
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.out().contains("Cipher is " + suite), r.all());
        }
        Peers.Result old = sClient("-tls1_1", "-cipher", "ALL:@SECLEVEL=0");
        assertNotEquals(0, old.exit(), old.all());
    }

    @Test
    void gnutlsGetsAeadAndNotCbc() {
        Peers.tool("gnutls-cli");
        String tls12 = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:-MAC-ALL:+AEAD:+SHA256:+SHA384:";
        for (String cipher : List.of("+AES-128-GCM", "+AES-256-GCM", "+CHACHA20-POLY1305")) {
            Peers.Result r = gnutls(tls12 + cipher);
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.all().contains("Handshake was completed"), r.all());
        }
        Peers.Result cbc = gnutls(tls12 + "+AES-128-CBC:+AES-256-CBC");
        assertNotEquals(0, cbc.exit(), cbc.all());
        assertFalse(cbc.all().contains("Handshake was completed"), cbc.all());
    }

    private static Peers.Result gnutls(String priority) {
        return Peers.run(dir, "gnutls-cli", "--x509cafile", f.root.toString(), "--priority", priority,
                "-p", String.valueOf(f.server.httpsUri().getPort()), f.server.httpsUri().getHost());
    }
}
