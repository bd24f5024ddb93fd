package io.hallmark.core.vault;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The software vault's key backup: a key made with its backup restores into another vault as the same key, and only
 * under the same backup key, the same associated data (the ceremony) and the public key it belongs to. A vault
 * without backups (an HSM's) is refused with the reason.
 */
class KeyBackupTest {

    @TempDir
    Path tmp;

    @org.junit.jupiter.api.BeforeAll
    static void providers() {
        io.hallmark.core.crypto.CryptoProviders.install(); // BouncyCastle, for the vault's PKCS#8 encryption
    }

    private static Passphrase passphrase() {
        return new Passphrase("correct horse battery".toCharArray(), "test", false);
    }

    @Test
    void aBackedUpKeyRestoresOnlyUnderItsKeyItsCeremonyAndItsPublicKey() throws Exception {
        SoftwareKeyVault origin = new SoftwareKeyVault(tmp.resolve("a"), passphrase());
        byte[] backupKey = new byte[32];
        new SecureRandom().nextBytes(backupKey);
        byte[] ceremony = "ceremony 1".getBytes(StandardCharsets.UTF_8);
        KeyBackup.BackedUpKey made = origin.generateWithBackup("root", KeyAlgorithm.EC_P384, backupKey, ceremony);
        assertTrue(Files.exists(tmp.resolve("a")), "the key is kept in the vault as any other");
        assertTrue(origin.opens(made.encrypted(), backupKey, ceremony, made.handle().publicKey()));

        byte[] wrongKey = backupKey.clone();
        wrongKey[0] ^= 1;
        assertFalse(origin.opens(made.encrypted(), wrongKey, ceremony, made.handle().publicKey()));
        assertFalse(origin.opens(made.encrypted(), backupKey, "ceremony 2".getBytes(StandardCharsets.UTF_8), made.handle().publicKey()));
        byte[] damaged = made.encrypted().clone();
        damaged[damaged.length / 2] ^= 1;
        assertFalse(origin.opens(damaged, backupKey, ceremony, made.handle().publicKey()));
        var otherKey = KeyAlgorithm.EC_P384.generate().getPublic();
        assertFalse(origin.opens(made.encrypted(), backupKey, ceremony, otherKey), "a backup is the key of its own certificate only");

        SoftwareKeyVault target = new SoftwareKeyVault(tmp.resolve("b"), passphrase());
        HallmarkException refused = assertThrows(HallmarkException.class,
                () -> target.restore("root", made.encrypted(), backupKey, ceremony, otherKey));
        assertTrue(refused.getMessage().contains("does not match"), refused.getMessage());
        assertFalse(Files.exists(tmp.resolve("b")) && Files.list(tmp.resolve("b")).findAny().isPresent(), "nothing kept");

        KeyHandle restored = target.restore("root", made.encrypted(), backupKey, ceremony, made.handle().publicKey());
        assertArrayEquals(made.handle().publicKey().getEncoded(), restored.publicKey().getEncoded());
        KeyHandle reopened = target.open(restored.ref()); // from its files, under the target vault's passphrase
        byte[] signature = reopened.sign("data".getBytes(StandardCharsets.UTF_8));
        var verifier = java.security.Signature.getInstance(KeyAlgorithm.EC_P384.signatureAlgorithm());
        verifier.initVerify(made.handle().publicKey());
        verifier.update("data".getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(signature), "the restored key signs as the original");
    }

    @Test
    void aVaultWhoseKeysCannotLeaveItHasNoBackup() {
        KeyVault token = new KeyVault() {
            @Override
            public String scheme() {
                return "pkcs11";
            }

            @Override
            public KeyHandle generate(String label, KeyAlgorithm algorithm) {
                throw new UnsupportedOperationException();
            }

            @Override
            public KeyHandle open(String ref) {
                throw new UnsupportedOperationException();
            }
        };
        KeyVaults vaults = new KeyVaults(new SoftwareKeyVault(tmp.resolve("keys"), passphrase()), token);
        assertEquals(SoftwareKeyVault.class, vaults.backup(null).getClass());
        HallmarkException e = assertThrows(HallmarkException.class, () -> vaults.backup("pkcs11"));
        assertTrue(e.getMessage().startsWith("keys of the 'pkcs11' vault cannot leave it"), e.getMessage());
    }
}
