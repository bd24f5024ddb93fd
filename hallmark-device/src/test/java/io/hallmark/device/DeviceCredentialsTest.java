package io.hallmark.device;

import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

class DeviceCredentialsTest {

    @TempDir
    Path dir;

    /**
     * With BouncyCastle installed as a provider (as the CLI does), a key must still come back as a JDK "EC"
     * key: JSSE ignores an "ECDSA" key and would send no client certificate at all.
     */
    @Test
    void pkcs8AndSec1KeysLoadAsJdkEcKeysWhateverProvidersAreInstalled() throws Exception {
        CryptoProviders.install();
        TestCerts.Issued leaf = TestCerts.under(TestCerts.root("r"), "device", false, Instant.now().minusSeconds(5), Instant.now().plusSeconds(600));
        Files.writeString(dir.resolve("cert.pem"), Pem.certificate(leaf.certificate().getEncoded()));
        Files.writeString(dir.resolve("pkcs8.key"), Csrs.privateKeyPem(leaf.keys()));
        // SEC1 ("EC PRIVATE KEY") as OpenSSL writes it, the form many device SDKs still use.
        Peers.tool("openssl");
        Peers.Result converted = Peers.run(dir, "openssl", "ec", "-in", "pkcs8.key", "-out", "sec1.key");
        assertEquals(0, converted.exit(), converted::all);
        assertTrue(Files.readString(dir.resolve("sec1.key")).startsWith("-----BEGIN EC PRIVATE KEY-----"));

        for (String key : new String[]{"pkcs8.key", "sec1.key"}) {
            DeviceCredential c = DeviceCredentials.fromPem(dir.resolve("cert.pem"), dir.resolve(key));
            assertEquals("EC", c.privateKey().getAlgorithm(), key);
            assertEquals(leaf.certificate(), c.certificate());
        }
    }

    @Test
    void aKeyFromAnotherCertificateIsRefusedUpFront() throws Exception {
        TestCerts.Issued root = TestCerts.root("r");
        TestCerts.Issued a = TestCerts.under(root, "a", false, Instant.now().minusSeconds(5), Instant.now().plusSeconds(600));
        TestCerts.Issued b = TestCerts.under(root, "b", false, Instant.now().minusSeconds(5), Instant.now().plusSeconds(600));
        Files.writeString(dir.resolve("a.pem"), Pem.certificate(a.certificate().getEncoded()));
        Files.writeString(dir.resolve("b.key"), Csrs.privateKeyPem(b.keys()));
        HallmarkException e = assertThrows(HallmarkException.class, () -> DeviceCredentials.fromPem(dir.resolve("a.pem"), dir.resolve("b.key")));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("does not belong to the certificate"), e.getMessage());
    }

    @Test
    void missingFilesAreNotFound() {
        HallmarkException e = assertThrows(HallmarkException.class, () -> DeviceCredentials.fromPem(dir.resolve("no.pem"), dir.resolve("no.key")));
        assertEquals(HallmarkException.Kind.NOT_FOUND, e.kind());
    }
}
