package io.hallmark.bench;

import io.hallmark.cli.Installation;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.crypto.Pem;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

/** The peers' copy of a CA key, read from the bench's own vault with its passphrase, as openssl would read it. */
class PeerCaKeyTest {

    @TempDir
    Path dir;

    @Test
    void writesTheKeyOfTheCaAskedForAsOpensslReadsIt() throws Exception {
        Peers.tool("openssl");
        try (BenchSupport b = new BenchSupport()) {
            var ca = b.hallmark.cas().get("ldevid-ca");
            Path key = dir.resolve("ca.key");
            PeerCaKey.write(Installation.keys(b.dir), b.passphrase.toCharArray(), ca, key);

            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            Files.writeString(dir.resolve("ca.pem"), Pem.certificate(ca.certificate()));
            Peers.Result fromKey = Peers.run(dir, "openssl", "pkey", "-in", "ca.key", "-pubout");
            Peers.Result fromCert = Peers.run(dir, "openssl", "x509", "-in", "ca.pem", "-noout", "-pubkey");
            assertEquals(0, fromKey.exit(), fromKey::toString);
            assertEquals(fromCert.out(), fromKey.out(), "the key written is the one the CA certificate certifies");
            Files.writeString(dir.resolve("other.pem"), Pem.certificate(b.hallmark.cas().get("idevid-ca").certificate()));
            assertNotEquals(Peers.run(dir, "openssl", "x509", "-in", "other.pem", "-noout", "-pubkey").out(), fromKey.out());
        }
    }

    @Test
    void aWrongPassphraseIsABadInputAndWritesNothing() {
        try (BenchSupport b = new BenchSupport()) {
            Path key = dir.resolve("ca.key");
            HallmarkException e = assertThrows(HallmarkException.class, () ->
                    PeerCaKey.write(Installation.keys(b.dir), "not the passphrase".toCharArray(), b.hallmark.cas().get("idevid-ca"), key));
            assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().startsWith("cannot decrypt ") && e.getMessage().contains("with the bench's vault passphrase"), e.getMessage());
            assertFalse(Files.exists(key));
        }
    }
}
