package io.hallmark.core.vault;

import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A new vault needs a passphrase worth the 600,000 PBKDF2 iterations; a vault that exists keeps opening. */
class NewVaultPassphraseTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void providers() {
        CryptoProviders.install();
    }

    private static Passphrase passphrase(String value) {
        return new Passphrase(value.toCharArray(), "$HALLMARK_PASSPHRASE", false);
    }

    private boolean anyKeyWritten(Path keys) throws Exception {
        if (!Files.exists(keys)) return false;
        try (var files = Files.list(keys)) {
            return files.findAny().isPresent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "secret", "abcdefghijk", "aaaaaaaaaaaaaaaaaaaa", "abababababababab"})
    void aNewVaultRefusesAWeakPassphraseAndWritesNothing(String weak) throws Exception {
        Path keys = tmp.resolve("keys");
        HallmarkException e = assertThrows(HallmarkException.class,
                () -> new SoftwareKeyVault(keys, passphrase(weak)).generate("root", KeyAlgorithm.EC_P256));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("the vault passphrase from $HALLMARK_PASSPHRASE is too weak for a new vault"), e.getMessage());
        assertFalse(e.getMessage().contains(weak), "the message never repeats the passphrase");
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(anyKeyWritten(keys), "no key written with a weak passphrase");
    }

    @Test
    void aNewVaultTakesTwelveCharactersOfSomeVariety() {
        KeyHandle key = new SoftwareKeyVault(tmp.resolve("keys"), passphrase("correct horse")).generate("root", KeyAlgorithm.EC_P256);
        assertNotNull(key.publicKey());
    }

    @Test
    void anExistingVaultKeepsOpeningAndGrowingWithItsWeakPassphrase() throws Exception {
        // A vault an older Hallmark created with a one-character passphrase: the same files, written by openssl.
        Path keys = Files.createDirectories(tmp.resolve("keys"));
        Peers.tool("openssl");
        Peers.Result key = Peers.run(keys, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "plain.pem");
        assertEquals(0, key.exit(), key::all);
        Peers.Result enc = Peers.run(keys, "openssl", "pkcs8", "-topk8", "-in", "plain.pem", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256",
                "-passout", "pass:x", "-out", "root-0a0b0c0d.key.pem");
        assertEquals(0, enc.exit(), enc::all);
        Peers.Result pub = Peers.run(keys, "openssl", "pkey", "-in", "plain.pem", "-pubout", "-out", "root-0a0b0c0d.pub.pem");
        assertEquals(0, pub.exit(), pub::all);
        Files.delete(keys.resolve("plain.pem"));

        SoftwareKeyVault vault = new SoftwareKeyVault(keys, passphrase("x"));
        assertEquals(KeyAlgorithm.EC_P256, vault.open("soft:root-0a0b0c0d").algorithm());
        assertNotNull(vault.generate("idevid-ca", KeyAlgorithm.EC_P256), "a CA added to an existing vault");
    }
}
