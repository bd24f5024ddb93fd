package io.hallmark.core.vault;

import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.security.Signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class SoftwareKeyVaultTest {

    private static final Passphrase SECRET = new Passphrase("correct horse battery".toCharArray(), "test", false);
    private static final Passphrase WRONG = new Passphrase("not the secret".toCharArray(), "test", false);

    @TempDir
    Path tmp;

    @BeforeAll
    static void providers() {
        CryptoProviders.install();
    }

    private Path keys() {
        return tmp.resolve("keys");
    }

    private Path keyFile(KeyHandle key) {
        return keys().resolve(key.ref().substring("soft:".length()) + ".key.pem");
    }

    private Path pubFile(KeyHandle key) {
        return keys().resolve(key.ref().substring("soft:".length()) + ".pub.pem");
    }

    private static Path openssl() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, "openssl");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("openssl is required for this test (apt-get install openssl)");
    }

    private static void assertSignsAsItsPublicKey(KeyHandle signerHandle, PublicKey verifyWith) throws Exception {
        byte[] data = "firmware image 1.2.3".getBytes(StandardCharsets.US_ASCII);
        ContentSigner signer = signerHandle.signer();
        signer.getOutputStream().write(data);
        byte[] signature = signer.getSignature();
        Signature verifier = Signature.getInstance(signerHandle.algorithm().signatureAlgorithm());
        verifier.initVerify(verifyWith);
        verifier.update(data);
        assertTrue(verifier.verify(signature), "signature by " + signerHandle + " verifies");
    }

    /**
     * The classical keys, and one of each post-quantum family and provider path (the slow SLH-DSA "s" sets sign for seconds
     * and follow the same code as 128f).
     */
    static java.util.stream.Stream<KeyAlgorithm> vaultAlgorithms() {
        return java.util.Arrays.stream(KeyAlgorithm.values()).filter(a -> !a.postQuantum() || java.util.Set.of(KeyAlgorithm.ML_DSA_44,
                KeyAlgorithm.ML_DSA_87, KeyAlgorithm.SLH_DSA_SHA2_128F, KeyAlgorithm.MLDSA44_ECDSA_P256_SHA256, KeyAlgorithm.MLDSA65_ED25519_SHA512).contains(a));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("vaultAlgorithms")
    void generatesEncryptedOwnerOnlyKeysThatReopenAndOpensslReads(KeyAlgorithm algorithm) throws Exception {
        KeyHandle generated = new SoftwareKeyVault(keys(), SECRET).generate("root", algorithm);
        assertTrue(generated.ref().matches("soft:root-[0-9a-f]{8}"), generated.ref());
        assertEquals(algorithm, generated.algorithm());

        Path keyFile = keyFile(generated);
        assertTrue(Files.exists(keyFile));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys())));
        String pem = Files.readString(keyFile);
        assertTrue(pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"), pem);
        assertTrue(Files.exists(pubFile(generated)));

        KeyHandle reopened = new SoftwareKeyVault(keys(), SECRET).open(generated.ref());
        assertEquals(algorithm, reopened.algorithm());
        assertArrayEquals(generated.publicKey().getEncoded(), reopened.publicKey().getEncoded());
        assertSignsAsItsPublicKey(reopened, generated.publicKey());
        assertSignsAsItsPublicKey(generated, reopened.publicKey());

        if (algorithm.postQuantum()) {
            // OpenSSL 3.0 knows no ML-DSA, SLH-DSA or composite key (3.5 has the first two): the same checks through BouncyCastle.
            byte[] file = Files.readAllBytes(keyFile);
            java.security.PrivateKey read = io.hallmark.core.crypto.PrivateKeyFiles.read(file, "correct horse battery".toCharArray(), "key");
            assertEquals(algorithm.oid(), org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(read.getEncoded()).getPrivateKeyAlgorithm().getAlgorithm());
            assertThrows(io.hallmark.core.error.HallmarkException.class,
                    () -> io.hallmark.core.crypto.PrivateKeyFiles.read(file, "wrong".toCharArray(), "key"));
            return;
        }
        Path openssl = openssl();
        Peers.Result check = Peers.run(tmp, openssl.toString(), "pkey", "-in", keyFile.toString(), "-passin", "pass:correct horse battery", "-noout");
        assertEquals(0, check.exit(), check.all());
        Peers.Result pub = Peers.run(tmp, openssl.toString(), "pkey", "-in", keyFile.toString(), "-passin", "pass:correct horse battery", "-pubout");
        assertEquals(0, pub.exit(), pub.all());
        assertArrayEquals(generated.publicKey().getEncoded(), Pem.derOf(pub.out().getBytes(StandardCharsets.US_ASCII), "PUBLIC KEY"),
                "openssl derives the public key stored beside the private one");
        Peers.Result wrong = Peers.run(tmp, openssl.toString(), "pkey", "-in", keyFile.toString(), "-passin", "pass:wrong", "-noout");
        assertNotEquals(0, wrong.exit(), "openssl must not read the key without the passphrase");
    }

    @Test
    void encryptsWithPbes2Pbkdf2HmacSha256AndAes256Cbc() throws Exception {
        KeyHandle key = new SoftwareKeyVault(keys(), SECRET).generate("ca", KeyAlgorithm.EC_P256);
        var info = new PKCS8EncryptedPrivateKeyInfo(Pem.derOf(Files.readAllBytes(keyFile(key)), "ENCRYPTED PRIVATE KEY"));
        assertEquals(PKCSObjectIdentifiers.id_PBES2, info.getEncryptionAlgorithm().getAlgorithm());
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
        assertEquals(PKCSObjectIdentifiers.id_PBKDF2, pbes2.getKeyDerivationFunc().getAlgorithm());
        PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        assertEquals(600_000, kdf.getIterationCount().intValue());
        assertEquals(PKCSObjectIdentifiers.id_hmacWithSHA256, kdf.getPrf().getAlgorithm());
        assertEquals(NISTObjectIdentifiers.id_aes256_CBC, pbes2.getEncryptionScheme().getAlgorithm());
    }

    @Test
    void refusesTheWrongPassphrase() {
        KeyHandle key = new SoftwareKeyVault(keys(), SECRET).generate("root", KeyAlgorithm.EC_P256);
        HallmarkException e = assertThrows(HallmarkException.class, () -> new SoftwareKeyVault(keys(), WRONG).open(key.ref()));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("passphrase"), e.getMessage());
    }

    @Test
    void refusesAPublicKeyFileOfAnotherKey() throws Exception {
        SoftwareKeyVault vault = new SoftwareKeyVault(keys(), SECRET);
        KeyHandle a = vault.generate("a", KeyAlgorithm.EC_P256);
        KeyHandle b = vault.generate("b", KeyAlgorithm.EC_P256);
        Files.copy(pubFile(b), pubFile(a), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        HallmarkException e = assertThrows(HallmarkException.class, () -> vault.open(a.ref()));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("does not match its public key file"), e.getMessage());
    }

    @Test
    void refusesAPublicKeyFileOfAnotherAlgorithm() throws Exception {
        SoftwareKeyVault vault = new SoftwareKeyVault(keys(), SECRET);
        KeyHandle ec = vault.generate("ec", KeyAlgorithm.EC_P256);
        KeyHandle ed = vault.generate("ed", KeyAlgorithm.ED25519);
        Files.copy(pubFile(ed), pubFile(ec), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        HallmarkException e = assertThrows(HallmarkException.class, () -> vault.open(ec.ref()));
        assertTrue(e.getMessage().contains(ec.ref()), e.getMessage());
    }

    @Test
    void labelsGetAUniqueSuffix() {
        SoftwareKeyVault vault = new SoftwareKeyVault(keys(), SECRET);
        assertNotEquals(vault.generate("root", KeyAlgorithm.ED25519).ref(), vault.generate("root", KeyAlgorithm.ED25519).ref());
    }

    @Test
    void rejectsUnsafeLabelsAndReferences() {
        SoftwareKeyVault vault = new SoftwareKeyVault(keys(), SECRET);
        for (String label : new String[]{"Root", "../x", "a/b", "", ".hidden"}) {
            HallmarkException e = assertThrows(HallmarkException.class, () -> vault.generate(label, KeyAlgorithm.EC_P256), label);
            assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        }
        for (String ref : new String[]{"pkcs11:root", "soft:../etc/passwd", "root-1234", "soft:"}) {
            HallmarkException e = assertThrows(HallmarkException.class, () -> vault.open(ref), ref);
            assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind(), ref);
        }
    }

    @Test
    void aMissingKeyIsNotFound() {
        HallmarkException e = assertThrows(HallmarkException.class, () -> new SoftwareKeyVault(keys(), SECRET).open("soft:gone-00000000"));
        assertEquals(HallmarkException.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void aSealedKeyOpensWithThePassphraseAloneAndIsEncryptedLikeTheKeyFiles() throws Exception {
        SealedKey sealed = new SoftwareKeyVault(keys(), SECRET).generateSealed("ldevid-ca-ocsp", KeyAlgorithm.EC_P256);
        assertTrue(sealed.handle().ref().startsWith("db:ldevid-ca-ocsp-"), sealed.handle().ref());
        assertTrue(!Files.exists(keys()) || Files.list(keys()).findAny().isEmpty(), "nothing written to the keys directory");
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(new PKCS8EncryptedPrivateKeyInfo(
                Pem.derOf(sealed.sealed().getBytes(StandardCharsets.US_ASCII), "ENCRYPTED PRIVATE KEY")).getEncryptionAlgorithm().getParameters());
        assertEquals(600_000, PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters()).getIterationCount().intValue());

        // Another node: another (empty) keys directory, the same passphrase.
        KeyHandle opened = new KeyVaults(new SoftwareKeyVault(tmp.resolve("other-node-keys"), SECRET))
                .openSealed(sealed.handle().ref(), sealed.sealed(), sealed.handle().publicKey());
        assertSignsAsItsPublicKey(opened, sealed.handle().publicKey());

        HallmarkException wrong = assertThrows(HallmarkException.class, () -> new SoftwareKeyVault(keys(), WRONG)
                .openSealed(sealed.handle().ref(), sealed.sealed(), sealed.handle().publicKey()));
        assertTrue(wrong.getMessage().contains("passphrase"), wrong.getMessage());
        PublicKey another = KeyAlgorithm.EC_P256.generate().getPublic();
        HallmarkException swapped = assertThrows(HallmarkException.class, () -> new SoftwareKeyVault(keys(), SECRET)
                .openSealed(sealed.handle().ref(), sealed.sealed(), another));
        assertTrue(swapped.getMessage().contains("does not match"), swapped.getMessage());
    }

    /** The server's TLS key: made by the caller, sealed for a file, given back whole (the TLS stack signs with it). */
    @Test
    void aKeyTheCallerHoldsIsSealedAndGivenBackOnlyForItsPublicKey() throws Exception {
        java.security.KeyPair pair = KeyAlgorithm.EC_P256.generate();
        String sealed = new KeyVaults(new SoftwareKeyVault(keys(), SECRET)).seal(pair.getPrivate());
        assertTrue(sealed.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), sealed);
        assertTrue(!Files.exists(keys()) || Files.list(keys()).findAny().isEmpty(), "nothing written to the keys directory");
        java.security.PrivateKey back = new KeyVaults(new SoftwareKeyVault(tmp.resolve("other"), SECRET)).unseal(sealed, pair.getPublic());
        assertEquals(((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS(), ((java.security.interfaces.ECPrivateKey) back).getS());

        HallmarkException wrong = assertThrows(HallmarkException.class, () -> new SoftwareKeyVault(keys(), WRONG).unseal(sealed, pair.getPublic()));
        assertTrue(wrong.getMessage().contains("passphrase"), wrong.getMessage());
        HallmarkException swapped = assertThrows(HallmarkException.class,
                () -> new SoftwareKeyVault(keys(), SECRET).unseal(sealed, KeyAlgorithm.EC_P256.generate().getPublic()));
        assertTrue(swapped.getMessage().contains("does not match"), swapped.getMessage());
    }

    @Test
    void keyVaultsRouteByScheme() {
        KeyVaults vaults = new KeyVaults(new SoftwareKeyVault(keys(), SECRET));
        KeyHandle key = vaults.generate(null, "root", KeyAlgorithm.EC_P256);
        assertNotNull(vaults.open(key.ref()));
        assertEquals(HallmarkException.Kind.BAD_INPUT,
                assertThrows(HallmarkException.class, () -> vaults.open("pkcs11:token/root")).kind());
        assertEquals(HallmarkException.Kind.BAD_INPUT,
                assertThrows(HallmarkException.class, () -> vaults.generate("pkcs11", "root", KeyAlgorithm.EC_P256)).kind());
    }

    @Test
    void asksForItsPassphraseOnlyWhenAKeyIsUsedAndOnce() {
        KeyHandle key = new SoftwareKeyVault(keys(), SECRET).generate("root", KeyAlgorithm.EC_P256);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        SoftwareKeyVault vault = new SoftwareKeyVault(keys(), () -> {
            asked.incrementAndGet();
            return SECRET;
        });
        assertEquals(0, asked.get(), "a vault nobody signs with needs no passphrase");
        vault.open(key.ref());
        vault.generate("other", KeyAlgorithm.EC_P256);
        assertEquals(1, asked.get());

        SoftwareKeyVault without = new SoftwareKeyVault(keys(), () -> {
            throw HallmarkException.badInput("no vault passphrase");
        });
        assertEquals("no vault passphrase", assertThrows(HallmarkException.class, () -> without.open(key.ref())).getMessage());
    }
    /** sign() keeps one initialised engine per thread: keys alternating on one thread still sign as themselves, call after call. */
    @Test
    void signingWithKeysInTurnOnOneThreadSignsWithEachOwnKey() throws Exception {
        SoftwareKeyVault vault = new SoftwareKeyVault(keys(), SECRET);
        KeyHandle[] keys = {vault.generate("a", KeyAlgorithm.EC_P256), vault.generate("b", KeyAlgorithm.EC_P256),
                vault.generate("c", KeyAlgorithm.ED25519)};
        for (int round = 0; round < 4; round++) {
            for (int k = 0; k < keys.length; k++) {
                KeyHandle key = keys[round % 2 == 0 ? k : keys.length - 1 - k];
                for (int repeat = 0; repeat < 3; repeat++) {
                    byte[] data = ("tbs " + round + "/" + k + "/" + repeat).getBytes(StandardCharsets.US_ASCII);
                    byte[] signature = key.sign(data);
                    for (KeyHandle other : keys) {
                        if (other.algorithm() != key.algorithm()) continue;
                        Signature verifier = Signature.getInstance(other.algorithm().signatureAlgorithm());
                        verifier.initVerify(other.publicKey());
                        verifier.update(data);
                        assertEquals(other == key, verifier.verify(signature), key.ref() + "'s signature checked with " + other.ref());
                    }
                }
            }
        }
    }
}
