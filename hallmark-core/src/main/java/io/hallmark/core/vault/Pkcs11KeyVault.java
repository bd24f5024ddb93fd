package io.hallmark.core.vault;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * CA keys on a PKCS#11 token, through the JDK's SunPKCS11 provider. Keys are generated on the token as token
 * objects that are private, sensitive and never extractable (the provider configuration's {@code attributes}
 * section below): no API of this class, of SunPKCS11 or of the token returns them. A CA key only signs, so it is
 * also made unable to decrypt or unwrap.
 * <p>
 * SunPKCS11's KeyStore lists a private key only when a certificate with the same CKA_ID is on the token, so each
 * new key gets a self-signed binding certificate (subject CN=alias, signed on the token) stored under its alias;
 * the CA certificate proper lives in the database. References are RFC 7512 URIs ({@link Pkcs11Uri}).
 * <p>
 * A token can go away under a running server (an HSM rebooted, a network HSM's link cut, the session closed):
 * a signature that fails re-opens the provider, logs in again and retries once before the error reaches the
 * caller, so the server recovers without a restart once the token is back.
 * <p>
 * Ed25519 is refused: SunPKCS11 has no EdDSA service.
 */
public final class Pkcs11KeyVault implements KeyVault, KeyRemover {

    public static final String SCHEME = Pkcs11Uri.SCHEME;
    private static final Pattern SAFE_LABEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final Pkcs11Settings settings;
    private final SecureRandom random = new SecureRandom();
    private volatile TokenSession session; // replaced on reconnect
    private final ConcurrentHashMap<String, AlgorithmIdentifier> algorithmIds = new ConcurrentHashMap<>();

    public Pkcs11KeyVault(Pkcs11Settings settings) {
        this.settings = settings;
    }

    public Pkcs11Settings settings() {
        return settings;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    private synchronized TokenSession session() {
        if (session == null) session = connect(0);
        return session;
    }

    /** Throws the broken session away (unless another thread already did) and logs in afresh. */
    private synchronized TokenSession reconnect(TokenSession broken) {
        if (session == broken) {
            session = connect(broken == null ? 0 : broken.generation() + 1);
        }
        return session;
    }

    private TokenSession connect(long generation) {
        return TokenSession.open(settings, null, generation);
    }

    @Override
    public String refusal(KeyAlgorithm algorithm) {
        if (algorithm.postQuantum()) {
            // SunPKCS11 (JDK 25) maps no PKCS#11 3.2 ML-DSA/SLH-DSA mechanism (CKM_ML_DSA, CKM_SLH_DSA) and SoftHSM2 2.6 implements none
            return "the PKCS#11 vault cannot hold " + algorithm.id() + " keys: the JDK's PKCS#11 provider (SunPKCS11) has no "
                    + "ML-DSA, SLH-DSA or composite mechanisms, whatever the token supports; use 'vault: soft' for this CA in the hierarchy file "
                    + "(or --vault soft), or ec-p256, ec-p384 or rsa-* on the token";
        }
        if (algorithm == KeyAlgorithm.ED25519) {
            return "the PKCS#11 vault cannot hold Ed25519 keys: the JDK's PKCS#11 provider has no EdDSA; "
                    + "use ec-p256, ec-p384 or rsa-* for a CA on the token, or 'vault: soft' for this CA in the hierarchy file";
        }
        return null;
    }

    @Override
    public KeyHandle generate(String label, KeyAlgorithm algorithm) {
        if (!SAFE_LABEL.matcher(label).matches()) {
            throw HallmarkException.badInput("key label '" + label + "' must be lowercase letters, digits, '.', '_' or '-'");
        }
        String refused = refusal(algorithm);
        if (refused != null) {
            throw HallmarkException.badInput(refused);
        }
        byte[] suffix = new byte[4];
        random.nextBytes(suffix);
        String alias = label + "-" + HexFormat.of().formatHex(suffix);
        TokenSession s = session();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.jcaName(), s.provider());
            if (algorithm.jcaName().equals("EC")) {
                generator.initialize(new ECGenParameterSpec(algorithm.curve()));
            } else {
                generator.initialize(new RSAKeyGenParameterSpec(algorithm.bits(), RSAKeyGenParameterSpec.F4));
            }
            KeyPair pair = generator.generateKeyPair();
            X509Certificate binding = bindingCertificate(alias, algorithm, pair);
            synchronized (this) {
                s.keyStore().setKeyEntry(alias, pair.getPrivate(), null, new Certificate[]{binding});
            }
            String ref = new Pkcs11Uri(settings.token(), alias, alias.getBytes(StandardCharsets.UTF_8)).toString();
            return new TokenKey(ref, alias, algorithm, pair.getPublic());
        } catch (GeneralSecurityException | java.security.ProviderException e) {
            throw HallmarkException.unavailable("cannot generate a " + algorithm.id() + " key on PKCS#11 token '" + settings.token() + "': " + rootMessage(e), e);
        }
    }

    /** A self-signed certificate for the new key, stored beside it so that SunPKCS11's KeyStore finds the key after a restart. */
    private X509Certificate bindingCertificate(String alias, KeyAlgorithm algorithm, KeyPair pair) throws GeneralSecurityException {
        X500Name name = new X500Name("CN=" + alias + ",O=Hallmark PKCS#11 key binding");
        Instant now = Instant.now();
        var builder = new X509v3CertificateBuilder(name, new BigInteger(64, random).add(BigInteger.ONE), Date.from(now),
                Date.from(now.plus(java.time.Duration.ofDays(365 * 100))), name, SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()));
        ContentSigner signer = signer(algorithm, "pkcs11 key " + alias, pair.getPrivate(), session());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    @Override
    public KeyHandle open(String ref) {
        Pkcs11Uri uri = Pkcs11Uri.parse(ref);
        if (!uri.token().equals(settings.token())) {
            throw HallmarkException.badInput("key " + ref + " is on token '" + uri.token() + "', but this installation's PKCS#11 vault is token '"
                    + settings.token() + "' (" + Pkcs11Settings.FILE + ")");
        }
        String alias = uri.alias();
        TokenSession s = session();
        try {
            Certificate cert = s.keyStore().getCertificate(alias);
            if (cert == null || !s.keyStore().isKeyEntry(alias)) {
                throw HallmarkException.notFound("key " + ref + " is not on PKCS#11 token '" + settings.token() + "'");
            }
            PublicKey publicKey = cert.getPublicKey();
            KeyAlgorithm algorithm = algorithmOf(publicKey);
            return new TokenKey(ref, alias, algorithm, publicKey);
        } catch (java.security.KeyStoreException e) {
            throw HallmarkException.unavailable("cannot read PKCS#11 token '" + settings.token() + "': " + rootMessage(e), e);
        }
    }

    /** Deletes the key and its binding certificate (SunPKCS11 removes both objects of the alias). */
    @Override
    public void delete(String ref) {
        Pkcs11Uri uri = Pkcs11Uri.parse(ref);
        if (!uri.token().equals(settings.token())) {
            throw HallmarkException.badInput("key " + ref + " is on token '" + uri.token() + "', not on this installation's token '" + settings.token() + "'");
        }
        TokenSession s = session();
        try {
            synchronized (this) {
                if (s.keyStore().containsAlias(uri.alias())) s.keyStore().deleteEntry(uri.alias());
            }
        } catch (java.security.KeyStoreException | java.security.ProviderException e) {
            throw HallmarkException.unavailable("cannot delete key " + ref + " from PKCS#11 token '" + settings.token() + "': " + rootMessage(e), e);
        }
    }

    private PrivateKey privateKey(TokenSession s, String alias) {
        try {
            PrivateKey key = (PrivateKey) s.keyStore().getKey(alias, null);
            if (key == null) throw HallmarkException.notFound("key " + alias + " is not on PKCS#11 token '" + settings.token() + "'");
            return key;
        } catch (GeneralSecurityException e) {
            throw HallmarkException.unavailable("cannot read key " + alias + " on PKCS#11 token '" + settings.token() + "': " + rootMessage(e), e);
        }
    }

    private static KeyAlgorithm algorithmOf(PublicKey key) {
        return switch (key) {
            case java.security.interfaces.ECPublicKey ec -> ec.getParams().getCurve().getField().getFieldSize() == 384
                    ? KeyAlgorithm.EC_P384 : KeyAlgorithm.EC_P256;
            case java.security.interfaces.RSAPublicKey rsa -> switch (rsa.getModulus().bitLength()) {
                case 2048 -> KeyAlgorithm.RSA_2048;
                case 3072 -> KeyAlgorithm.RSA_3072;
                default -> KeyAlgorithm.RSA_4096;
            };
            default -> throw HallmarkException.badInput("unsupported key type on the token: " + key.getAlgorithm());
        };
    }

    /** A signer over {@code key} in session {@code s}, without the retry of {@link TokenKey}: the key was just made in it. */
    private ContentSigner signer(KeyAlgorithm algorithm, String what, PrivateKey key, TokenSession s) {
        return contentSigner(algorithm, tbs -> {
            try {
                return sign(s.provider(), algorithm, key, tbs);
            } catch (GeneralSecurityException | java.security.ProviderException e) {
                throw HallmarkException.unavailable("cannot sign with " + what + " on PKCS#11 token '" + settings.token() + "': " + rootMessage(e), e);
            }
        });
    }

    /** A ContentSigner that collects what is to be signed and signs it at once with {@code sign}. */
    private ContentSigner contentSigner(KeyAlgorithm algorithm, java.util.function.UnaryOperator<byte[]> sign) {
        AlgorithmIdentifier id = algorithmIds.computeIfAbsent(algorithm.signatureAlgorithm(),
                name -> new DefaultSignatureAlgorithmIdentifierFinder().find(name));
        ByteArrayOutputStream tbs = new ByteArrayOutputStream(1024);
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return id;
            }

            @Override
            public OutputStream getOutputStream() {
                return tbs;
            }

            @Override
            public byte[] getSignature() {
                return sign.apply(tbs.toByteArray());
            }
        };
    }

    private static byte[] sign(Provider provider, KeyAlgorithm algorithm, PrivateKey key, byte[] data) throws GeneralSecurityException {
        Signature signature = Signature.getInstance(algorithm.signatureAlgorithm(), provider);
        signature.initSign(key);
        signature.update(data);
        return signature.sign();
    }

    private static String rootMessage(Throwable e) {
        return TokenSession.rootMessage(e);
    }

    /** A key on the token, known by its alias; the private key object is looked up in the current session at each signature. */
    private final class TokenKey implements KeyHandle {
        private final String ref;
        private final String alias;
        private final KeyAlgorithm algorithm;
        private final PublicKey publicKey;
        private volatile PrivateKey cached;
        private volatile TokenSession cachedIn;

        TokenKey(String ref, String alias, KeyAlgorithm algorithm, PublicKey publicKey) {
            this.ref = ref;
            this.alias = alias;
            this.algorithm = algorithm;
            this.publicKey = publicKey;
        }

        @Override
        public String ref() {
            return ref;
        }

        @Override
        public KeyAlgorithm algorithm() {
            return algorithm;
        }

        @Override
        public PublicKey publicKey() {
            return publicKey;
        }

        private PrivateKey key(TokenSession s) {
            PrivateKey k = cached;
            if (k == null || cachedIn != s) {
                k = privateKey(s, alias);
                cached = k;
                cachedIn = s;
            }
            return k;
        }

        @Override
        public boolean mayHang() {
            return true; // the token's library may block in C_Sign forever (a USB token pulled, a network HSM gone)
        }

        @Override
        public ContentSigner signer() {
            return contentSigner(algorithm, this::signRecovering);
        }

        /** One retry after a reconnect: a token that came back, or a session the token closed, signs again without a restart. */
        private byte[] signRecovering(byte[] data) {
            TokenSession s = session();
            try {
                return Pkcs11KeyVault.sign(s.provider(), algorithm, key(s), data);
            } catch (GeneralSecurityException | java.security.ProviderException | HallmarkException first) {
                try {
                    TokenSession fresh = reconnect(s);
                    return Pkcs11KeyVault.sign(fresh.provider(), algorithm, key(fresh), data);
                } catch (GeneralSecurityException | java.security.ProviderException | HallmarkException second) {
                    second.addSuppressed(first);
                    throw HallmarkException.unavailable("cannot sign with " + ref + " (PKCS#11 token '" + settings.token()
                            + "', after logging in again): " + rootMessage(second), second);
                }
            }
        }

        @Override
        public String toString() {
            return "Pkcs11Key[" + ref + ", " + algorithm + "]";
        }
    }
}
