package io.hallmark.core.vault;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.files.OwnerOnlyFile;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * CA keys as password-encrypted PKCS#8 files (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC), one per key, in
 * a directory of mode 0700. The format is the one {@code openssl pkey} reads, so a key can be moved into
 * an HSM or another tool with the passphrase alone. Each key has a public key file beside it so the vault
 * can check, on opening, that the decrypted key is the one it claims to be.
 */
public final class SoftwareKeyVault implements KeyVault, KeySealer, KeyBackup, KeyImporter {

    public static final String SCHEME = "soft";
    // OWASP's 2023 figure for PBKDF2-HMAC-SHA256; it costs a fraction of a second per key opened.
    private static final int PBKDF2_ITERATIONS = 600_000;
    private static final Pattern SAFE_LABEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final Path dir;
    private final Supplier<Passphrase> source;
    private Passphrase passphrase; // resolved on first use, guarded by this
    private final SecureRandom random = new SecureRandom();

    public SoftwareKeyVault(Path dir, Passphrase passphrase) {
        this(dir, () -> passphrase);
    }

    /**
     * A vault that asks for its passphrase only when a key is generated or opened: listing, showing and
     * verifying what is stored signs nothing, so an auditor without the passphrase can do all of it.
     */
    public SoftwareKeyVault(Path dir, Supplier<Passphrase> passphrase) {
        this.dir = dir;
        this.source = passphrase;
    }

    private synchronized Passphrase passphrase() {
        if (passphrase == null) {
            Passphrase p = source.get();
            passphrase = new Passphrase(p.value().clone(), p.source(), p.generated());
        }
        return passphrase;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public KeyHandle generate(String label, KeyAlgorithm algorithm) {
        Passphrase secret = passphraseForNewKey();
        String name = uniqueName(label);
        KeyPair pair = algorithm.generate();
        keep(name, pair.getPrivate(), pair.getPublic(), secret);
        return new SoftwareKey(SCHEME + ":" + name, algorithm, pair.getPublic(), pair.getPrivate());
    }

    /** Writes a key's two files: the private key encrypted under the vault's passphrase, the public key beside it. */
    private void keep(String name, PrivateKey privateKey, PublicKey publicKey, Passphrase secret) {
        try {
            Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            OwnerOnlyFile.create(privateFile(name), encrypt(privateKey, secret.value()).getBytes(StandardCharsets.US_ASCII));
            Files.writeString(publicFile(name), Pem.encode("PUBLIC KEY", publicKey.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key " + name + " under " + dir, e);
        }
    }

    @Override
    public BackedUpKey generateWithBackup(String label, KeyAlgorithm algorithm, byte[] backupKey, byte[] associatedData) {
        Passphrase secret = passphraseForNewKey();
        String name = uniqueName(label);
        KeyPair pair = algorithm.generate();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = gcm(javax.crypto.Cipher.ENCRYPT_MODE, backupKey, nonce, associatedData, pair.getPrivate().getEncoded());
        byte[] encrypted = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, encrypted, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, encrypted, NONCE_BYTES, sealed.length);
        keep(name, pair.getPrivate(), pair.getPublic(), secret);
        return new BackedUpKey(new SoftwareKey(SCHEME + ":" + name, algorithm, pair.getPublic(), pair.getPrivate()), encrypted);
    }

    @Override
    public boolean opens(byte[] encrypted, byte[] backupKey, byte[] associatedData, PublicKey publicKey) {
        try {
            backedUp(SCHEME + ":backup-check", encrypted, backupKey, associatedData, publicKey);
            return true;
        } catch (HallmarkException e) {
            return false;
        }
    }

    @Override
    public KeyHandle restore(String label, byte[] encrypted, byte[] backupKey, byte[] associatedData, PublicKey publicKey) {
        Passphrase secret = passphraseForNewKey();
        String name = uniqueName(label);
        SoftwareKey key = backedUp(SCHEME + ":" + name, encrypted, backupKey, associatedData, publicKey);
        keep(name, key.privateKey(), publicKey, secret);
        return key;
    }

    /** The key a backup holds, checked to be the private half of {@code publicKey}; BAD_INPUT if it does not open or match. */
    private SoftwareKey backedUp(String ref, byte[] encrypted, byte[] backupKey, byte[] associatedData, PublicKey publicKey) {
        if (encrypted.length <= NONCE_BYTES + 16) {
            throw HallmarkException.badInput("the key backup is too short to hold a key");
        }
        byte[] nonce = java.util.Arrays.copyOf(encrypted, NONCE_BYTES);
        byte[] sealed = java.util.Arrays.copyOfRange(encrypted, NONCE_BYTES, encrypted.length);
        byte[] pkcs8 = gcm(javax.crypto.Cipher.DECRYPT_MODE, backupKey, nonce, associatedData, sealed);
        try {
            KeyAlgorithm algorithm = algorithmOf(publicKey);
            PrivateKey privateKey = algorithm.keyFactory()
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pkcs8));
            SoftwareKey key = new SoftwareKey(ref, algorithm, publicKey, privateKey);
            key.checkPair("the root certificate recorded with the backup");
            return key;
        } catch (java.security.GeneralSecurityException e) {
            throw HallmarkException.badInput("the key backup holds no readable " + publicKey.getAlgorithm() + " key: " + e.getMessage());
        } finally {
            java.util.Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** AES-256-GCM, 128-bit tag; a tag that does not verify is BAD_INPUT (wrong key, wrong ceremony, or damaged). */
    private static byte[] gcm(int mode, byte[] key, byte[] nonce, byte[] associatedData, byte[] input) {
        if (key.length != KEY_BYTES) {
            throw HallmarkException.badInput("a backup key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        try {
            javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new javax.crypto.spec.SecretKeySpec(key, "AES"), new javax.crypto.spec.GCMParameterSpec(128, nonce));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw HallmarkException.badInput("the key backup does not open with this key (wrong shares, another ceremony's backup, or a damaged file)");
        } catch (java.security.GeneralSecurityException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "AES-256-GCM failed: " + e.getMessage(), e);
        }
    }

    /**
     * Checked before anything is written: a key that does not sign for {@code publicKey} leaves no file behind. The
     * files are the ones {@link #generate} writes, so an imported key opens, backs up and restores like any other.
     */
    @Override
    public KeyHandle importKey(String label, PrivateKey privateKey, PublicKey publicKey) {
        KeyAlgorithm algorithm = algorithmOf(publicKey);
        String name = uniqueName(label);
        SoftwareKey key = new SoftwareKey(SCHEME + ":" + name, algorithm, publicKey, preferredProvider(algorithm, privateKey));
        key.checkPair("the certificate's public key");
        keep(name, privateKey, publicKey, passphraseForNewKey());
        return key;
    }

    /** The same encryption and passphrase as the key files: a sealed key is exactly as hard to open as one of them. */
    @Override
    public SealedKey generateSealed(String label, KeyAlgorithm algorithm) {
        Passphrase secret = passphraseForNewKey();
        String ref = KeySealer.SCHEME + ":" + uniqueName(label);
        KeyPair pair = algorithm.generate();
        return new SealedKey(new SoftwareKey(ref, algorithm, pair.getPublic(), pair.getPrivate()), encrypt(pair.getPrivate(), secret.value()));
    }

    @Override
    public KeyHandle openSealed(String ref, String sealed, PublicKey publicKey) {
        byte[] encrypted = Pem.derOf(sealed.getBytes(StandardCharsets.US_ASCII), "ENCRYPTED PRIVATE KEY");
        try {
            PrivateKey privateKey = new JcaPEMKeyConverter().getPrivateKey(decrypt(encrypted, ref));
            KeyAlgorithm algorithm = algorithmOf(publicKey);
            SoftwareKey key = new SoftwareKey(ref, algorithm, publicKey, preferredProvider(algorithm, privateKey));
            key.checkPair("the public key it was sealed with (its certificate's)");
            return key;
        } catch (org.bouncycastle.openssl.PEMException e) {
            throw HallmarkException.badInput("cannot read sealed key " + ref + ": " + e.getMessage());
        }
    }

    @Override
    public String seal(PrivateKey key) {
        return encrypt(key, passphraseForNewKey().value());
    }

    @Override
    public PrivateKey unseal(String sealed, PublicKey publicKey) {
        byte[] encrypted = Pem.derOf(sealed.getBytes(StandardCharsets.US_ASCII), "ENCRYPTED PRIVATE KEY");
        String ref = KeySealer.SCHEME + ":sealed";
        try {
            KeyAlgorithm algorithm = algorithmOf(publicKey);
            PrivateKey privateKey = preferredProvider(algorithm, new JcaPEMKeyConverter().getPrivateKey(decrypt(encrypted, ref)));
            new SoftwareKey(ref, algorithm, publicKey, privateKey).checkPair("the public key it was sealed with");
            return privateKey;
        } catch (org.bouncycastle.openssl.PEMException e) {
            throw HallmarkException.badInput("cannot read sealed key: " + e.getMessage());
        }
    }

    /** The passphrase a key is made under; a vault's first key also fixes it, so it must be strong. */
    private Passphrase passphraseForNewKey() {
        Passphrase secret = passphrase();
        if (isNew()) {
            secret.requireStrongForANewVault(); // an existing vault keeps the passphrase its keys are under
        }
        return secret;
    }

    /** {@code label} with a random suffix, so that keys of one label (a CA re-keyed, responders rotated) never collide. */
    private String uniqueName(String label) {
        if (!SAFE_LABEL.matcher(label).matches()) {
            throw HallmarkException.badInput("key label '" + label + "' must be lowercase letters, digits, '.', '_' or '-'");
        }
        byte[] suffix = new byte[4];
        random.nextBytes(suffix);
        return label + "-" + HexFormat.of().formatHex(suffix);
    }

    @Override
    public KeyHandle open(String ref) {
        String name = ref.substring(ref.indexOf(':') + 1);
        if (!ref.startsWith(SCHEME + ":") || !SAFE_LABEL.matcher(name).matches()) {
            throw HallmarkException.badInput("not a software vault key reference: '" + ref + "'");
        }
        try {
            byte[] encrypted = Pem.derOf(Files.readAllBytes(privateFile(name)), "ENCRYPTED PRIVATE KEY");
            byte[] publicDer = Pem.derOf(Files.readAllBytes(publicFile(name)), "PUBLIC KEY");
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PublicKey publicKey = converter.getPublicKey(SubjectPublicKeyInfo.getInstance(publicDer));
            PrivateKey privateKey = converter.getPrivateKey(decrypt(encrypted, ref));
            KeyAlgorithm algorithm = algorithmOf(publicKey);
            SoftwareKey key = new SoftwareKey(ref, algorithm, publicKey, preferredProvider(algorithm, privateKey));
            key.checkPair("its public key file");
            return key;
        } catch (java.nio.file.NoSuchFileException e) {
            throw HallmarkException.notFound("key " + ref + " is missing from the vault at " + dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key " + ref, e);
        }
    }

    /**
     * The converter yields BouncyCastle key objects (it asks for "ECDSA" key factories, which only BC
     * offers). Signing with one through ACCP makes ACCP re-import the key on every signature, which cost
     * as much as the signature itself; re-encoding it once through the first provider's factory ("EC",
     * ACCP when loaded) keeps the key native. ML-DSA keys go to the JDK's own factory ({@link KeyAlgorithm#provider()}).
     */
    private static PrivateKey preferredProvider(KeyAlgorithm algorithm, PrivateKey key) {
        try {
            return algorithm.keyFactory()
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            return key; // the original still signs, only slower
        }
    }

    /** No key in the directory yet: the first one generated creates the vault, and fixes its passphrase. */
    private boolean isNew() {
        if (!Files.isDirectory(dir)) return true;
        try (var keys = Files.newDirectoryStream(dir, "*.key.pem")) {
            return !keys.iterator().hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vault at " + dir, e);
        }
    }

    private String encrypt(PrivateKey key, char[] secret) {
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS)
                    .setRandom(random)
                    .setPassword(secret)
                    .build();
            return Pem.encode("ENCRYPTED PRIVATE KEY", new JcaPKCS8Generator(key, encryptor).generate().getContent());
        } catch (OperatorCreationException | org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot encrypt key: " + e.getMessage(), e);
        }
    }

    private PrivateKeyInfo decrypt(byte[] der, String ref) {
        char[] secret = passphrase().value(); // outside the try: "no passphrase" is not "wrong passphrase"
        try {
            return new PKCS8EncryptedPrivateKeyInfo(der).decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().build(secret));
        } catch (Exception e) {
            throw HallmarkException.badInput("cannot decrypt key " + ref + ": wrong vault passphrase or damaged key file");
        }
    }

    private static KeyAlgorithm algorithmOf(PublicKey key) {
        KeyAlgorithm postQuantum = KeyAlgorithm.ofPostQuantumKey(key);
        if (postQuantum != null) return postQuantum;
        return switch (key) {
            case java.security.interfaces.ECPublicKey ec -> ec.getParams().getCurve().getField().getFieldSize() == 384
                    ? KeyAlgorithm.EC_P384 : KeyAlgorithm.EC_P256;
            case java.security.interfaces.RSAPublicKey rsa -> switch (rsa.getModulus().bitLength()) {
                case 2048 -> KeyAlgorithm.RSA_2048;
                case 3072 -> KeyAlgorithm.RSA_3072;
                default -> KeyAlgorithm.RSA_4096;
            };
            default -> KeyAlgorithm.ED25519;
        };
    }

    private Path privateFile(String name) {
        return dir.resolve(name + ".key.pem");
    }

    private Path publicFile(String name) {
        return dir.resolve(name + ".pub.pem");
    }

    /** The private key stays in this object; nothing outside the vault package can reach it. */
    private static final java.util.Map<String, org.bouncycastle.asn1.x509.AlgorithmIdentifier> ALGORITHM_IDS = new java.util.concurrent.ConcurrentHashMap<>();

    private record SoftwareKey(String ref, KeyAlgorithm algorithm, PublicKey publicKey, PrivateKey privateKey) implements KeyHandle {

        /**
         * Small writes are gathered and handed to the provider in one update, large ones passed straight through
         * ({@link SignatureStream}): BouncyCastle's own signer streams the DER encoder's many small writes into the
         * Signature, each one a native call under ACCP, which doubled the cost of a P-256 signature.
         */
        @Override
        public ContentSigner signer() {
            try {
                java.security.Signature signature = algorithm.newSignature();
                signature.initSign(privateKey);
                org.bouncycastle.asn1.x509.AlgorithmIdentifier id = ALGORITHM_IDS.computeIfAbsent(algorithm.signatureAlgorithm(),
                        name -> new org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder().find(name));
                SignatureStream tbs = new SignatureStream(signature);
                return new ContentSigner() {
                    @Override
                    public org.bouncycastle.asn1.x509.AlgorithmIdentifier getAlgorithmIdentifier() {
                        return id;
                    }

                    @Override
                    public java.io.OutputStream getOutputStream() {
                        return tbs;
                    }

                    @Override
                    public byte[] getSignature() {
                        try {
                            return tbs.sign();
                        } catch (java.security.SignatureException e) {
                            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot sign with " + ref + ": " + e.getMessage(), e);
                        }
                    }
                };
            } catch (java.security.GeneralSecurityException e) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot sign with " + ref + ": " + e.getMessage(), e);
            }
        }

        /**
         * The last key this thread signed with and its initialised engine: a factory worker signs every certificate of
         * a batch with the same CA key, and a fresh engine (provider lookup, key import, initSign) cost about 2 µs of
         * each ~20 µs P-256 signature. {@code sign} leaves the engine initialised for the same key, as initSign did.
         * One entry per thread, so a thread keeps at most one key's engine.
         */
        private static final ThreadLocal<Engine> LAST_ENGINE = new ThreadLocal<>();

        /** A signing engine initialised for {@code key} (compared by identity: the same loaded key object). */
        private record Engine(java.security.PrivateKey key, KeyAlgorithm algorithm, java.security.Signature signature) {
        }

        @Override
        public byte[] sign(byte[] data) {
            try {
                Engine last = LAST_ENGINE.get();
                java.security.Signature signature;
                if (last != null && last.key() == privateKey && last.algorithm() == algorithm) {
                    signature = last.signature();
                } else {
                    signature = algorithm.newSignature();
                    signature.initSign(privateKey);
                    LAST_ENGINE.set(new Engine(privateKey, algorithm, signature));
                }
                try {
                    signature.update(data);
                    return signature.sign();
                } catch (java.security.SignatureException | RuntimeException e) {
                    LAST_ENGINE.remove(); // an engine that failed mid-signature is not trusted again
                    throw e;
                }
            } catch (java.security.GeneralSecurityException e) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot sign with " + ref + ": " + e.getMessage(), e);
            }
        }

        /**
         * A key file swapped or damaged on disk (or a sealed key in a row it does not belong to) must not silently
         * sign as someone else.
         *
         * @param publicKeyFrom where the public key came from, for the message
         */
        void checkPair(String publicKeyFrom) {
            try {
                byte[] probe = "hallmark key check".getBytes(StandardCharsets.US_ASCII);
                byte[] signature = sign(probe);
                java.security.Signature verifier = algorithm.newSignature();
                verifier.initVerify(publicKey);
                verifier.update(probe);
                if (!verifier.verify(signature)) {
                    throw HallmarkException.badInput("key " + ref + " does not match " + publicKeyFrom);
                }
            } catch (java.io.UncheckedIOException | java.security.GeneralSecurityException | HallmarkException e) {
                if (e instanceof HallmarkException h && h.kind() == HallmarkException.Kind.BAD_INPUT) throw h;
                // A public key file of another algorithm cannot even be used to verify: the same mismatch.
                throw HallmarkException.badInput("key " + ref + " does not match " + publicKeyFrom + " (" + e.getMessage() + ")");
            }
        }

        @Override
        public String toString() {
            return "SoftwareKey[" + ref + ", " + algorithm + "]";
        }
    }
}
