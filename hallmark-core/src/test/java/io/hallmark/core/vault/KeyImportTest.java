package io.hallmark.core.vault;

import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.Signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A key made elsewhere goes into the software vault under the same rules as a generated one, or not at all. */
class KeyImportTest {

    private static final Passphrase SECRET = new Passphrase("correct horse battery".toCharArray(), "test", false);

    @TempDir
    Path tmp;

    @BeforeAll
    static void providers() {
        CryptoProviders.install();
    }

    @Test
    void anImportedKeyIsEncryptedOwnerOnlyAndOpensAgain() throws Exception {
        KeyPair pair = KeyAlgorithm.EC_P256.generate();
        Path dir = tmp.resolve("keys");
        KeyHandle imported = new SoftwareKeyVault(dir, SECRET).importKey("legacy", pair.getPrivate(), pair.getPublic());
        Path file = dir.resolve(imported.ref().substring("soft:".length()) + ".key.pem");
        assertTrue(Files.readString(file).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        KeyHandle reopened = new SoftwareKeyVault(dir, SECRET).open(imported.ref()); // a new vault object: as after a restart
        byte[] data = "tbs".getBytes();
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(pair.getPublic());
        verify.update(data);
        assertTrue(verify.verify(reopened.sign(data)));
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedAndLeavesNoFile() throws Exception {
        KeyPair one = KeyAlgorithm.EC_P256.generate();
        KeyPair other = KeyAlgorithm.EC_P256.generate();
        Path dir = tmp.resolve("keys");
        HallmarkException e = assertThrows(HallmarkException.class,
                () -> new SoftwareKeyVault(dir, SECRET).importKey("legacy", other.getPrivate(), one.getPublic()));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        assertFalse(Files.exists(dir) && Files.list(dir).findAny().isPresent(), "nothing written");
    }
}
