package io.hallmark.core.crypto;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.iana.IANAObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Key types Hallmark can generate: for its own CAs, for development device keys, and for devices that ask
 * EST serverkeygen for one. Each carries the signature algorithm it signs with, so a CA's choice of key
 * fixes its certificates' signature suite.
 *
 * <p>The post-quantum ones: ML-DSA (FIPS 204; identifiers of RFC 9881), SLH-DSA (FIPS 205; RFC 9909), both in
 * their pure form with an empty context, and the composite ML-DSA signatures of the IETF LAMPS specification
 * (draft-ietf-lamps-pq-composite-sigs, OIDs 1.3.6.1.5.5.7.6.37-54), named as the specification names them without
 * its {@code id-} prefix. A post-quantum key has no separate signature algorithm: key and signature share the OID,
 * and {@link #signatureAlgorithm()} is the JCA name of both. ML-DSA is the JDK's own (SUN provider, JDK 24+);
 * SLH-DSA and the composites are BouncyCastle's, the only provider that has them.
 */
public enum KeyAlgorithm {
    EC_P256("ec-p256", Family.EC, "EC", "secp256r1", 256, "SHA256withECDSA", null),
    EC_P384("ec-p384", Family.EC, "EC", "secp384r1", 384, "SHA384withECDSA", null),
    ED25519("ed25519", Family.EDDSA, "Ed25519", null, 255, "Ed25519", null),
    RSA_2048("rsa-2048", Family.RSA, "RSA", null, 2048, "SHA256withRSA", null),
    RSA_3072("rsa-3072", Family.RSA, "RSA", null, 3072, "SHA256withRSA", null),
    RSA_4096("rsa-4096", Family.RSA, "RSA", null, 4096, "SHA384withRSA", null),
    // FIPS 204 security categories 2, 3, 5 (bits: the classical strength they are compared with)
    ML_DSA_44("ml-dsa-44", Family.ML_DSA, "ML-DSA-44", null, 128, "ML-DSA-44", NISTObjectIdentifiers.id_ml_dsa_44),
    ML_DSA_65("ml-dsa-65", Family.ML_DSA, "ML-DSA-65", null, 192, "ML-DSA-65", NISTObjectIdentifiers.id_ml_dsa_65),
    ML_DSA_87("ml-dsa-87", Family.ML_DSA, "ML-DSA-87", null, 256, "ML-DSA-87", NISTObjectIdentifiers.id_ml_dsa_87),
    // FIPS 205: "s" small signatures and slow signing (a root's few signatures), "f" fast signing, larger signatures
    SLH_DSA_SHA2_128S("slh-dsa-sha2-128s", Family.SLH_DSA, "SLH-DSA-SHA2-128S", null, 128, "SLH-DSA-SHA2-128S", NISTObjectIdentifiers.id_slh_dsa_sha2_128s),
    SLH_DSA_SHA2_128F("slh-dsa-sha2-128f", Family.SLH_DSA, "SLH-DSA-SHA2-128F", null, 128, "SLH-DSA-SHA2-128F", NISTObjectIdentifiers.id_slh_dsa_sha2_128f),
    SLH_DSA_SHA2_192S("slh-dsa-sha2-192s", Family.SLH_DSA, "SLH-DSA-SHA2-192S", null, 192, "SLH-DSA-SHA2-192S", NISTObjectIdentifiers.id_slh_dsa_sha2_192s),
    SLH_DSA_SHA2_256S("slh-dsa-sha2-256s", Family.SLH_DSA, "SLH-DSA-SHA2-256S", null, 256, "SLH-DSA-SHA2-256S", NISTObjectIdentifiers.id_slh_dsa_sha2_256s),
    SLH_DSA_SHAKE_128S("slh-dsa-shake-128s", Family.SLH_DSA, "SLH-DSA-SHAKE-128S", null, 128, "SLH-DSA-SHAKE-128S", NISTObjectIdentifiers.id_slh_dsa_shake_128s),
    // Composite ML-DSA: both signatures must verify; the traditional half keeps today's assurance if ML-DSA falls
    MLDSA44_ECDSA_P256_SHA256("mldsa44-ecdsa-p256-sha256", Family.COMPOSITE, "MLDSA44-ECDSA-P256-SHA256", null, 128,
            "MLDSA44-ECDSA-P256-SHA256", IANAObjectIdentifiers.id_MLDSA44_ECDSA_P256_SHA256),
    MLDSA44_ED25519_SHA512("mldsa44-ed25519-sha512", Family.COMPOSITE, "MLDSA44-Ed25519-SHA512", null, 128,
            "MLDSA44-Ed25519-SHA512", IANAObjectIdentifiers.id_MLDSA44_Ed25519_SHA512),
    MLDSA65_ECDSA_P256_SHA512("mldsa65-ecdsa-p256-sha512", Family.COMPOSITE, "MLDSA65-ECDSA-P256-SHA512", null, 192,
            "MLDSA65-ECDSA-P256-SHA512", IANAObjectIdentifiers.id_MLDSA65_ECDSA_P256_SHA512),
    MLDSA65_ECDSA_P384_SHA512("mldsa65-ecdsa-p384-sha512", Family.COMPOSITE, "MLDSA65-ECDSA-P384-SHA512", null, 192,
            "MLDSA65-ECDSA-P384-SHA512", IANAObjectIdentifiers.id_MLDSA65_ECDSA_P384_SHA512),
    MLDSA65_ED25519_SHA512("mldsa65-ed25519-sha512", Family.COMPOSITE, "MLDSA65-Ed25519-SHA512", null, 192,
            "MLDSA65-Ed25519-SHA512", IANAObjectIdentifiers.id_MLDSA65_Ed25519_SHA512),
    MLDSA87_ECDSA_P384_SHA512("mldsa87-ecdsa-p384-sha512", Family.COMPOSITE, "MLDSA87-ECDSA-P384-SHA512", null, 256,
            "MLDSA87-ECDSA-P384-SHA512", IANAObjectIdentifiers.id_MLDSA87_ECDSA_P384_SHA512);

    /** What kind of signature scheme a key belongs to. */
    public enum Family {
        EC, EDDSA, RSA, ML_DSA, SLH_DSA, COMPOSITE;

        /** Whether its signatures resist a quantum computer (a composite does through its ML-DSA half). */
        public boolean postQuantum() {
            return this == ML_DSA || this == SLH_DSA || this == COMPOSITE;
        }
    }

    private final String id;
    private final Family family;
    private final String jcaName;
    private final String curve;
    private final int bits;
    private final String signatureAlgorithm;
    private final ASN1ObjectIdentifier oid;

    KeyAlgorithm(String id, Family family, String jcaName, String curve, int bits, String signatureAlgorithm, ASN1ObjectIdentifier oid) {
        this.id = id;
        this.family = family;
        this.jcaName = jcaName;
        this.curve = curve;
        this.bits = bits;
        this.signatureAlgorithm = signatureAlgorithm;
        this.oid = oid;
    }

    /** The name used in hierarchy files, the CLI and the store, e.g. {@code ec-p256}. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return id;
    }

    public Family family() {
        return family;
    }

    /** Whether this key signs post-quantum (ML-DSA, SLH-DSA, or a composite with ML-DSA). */
    public boolean postQuantum() {
        return family.postQuantum();
    }

    /** JCA name of the key type (KeyPairGenerator, KeyFactory): {@code EC}, {@code RSA}, {@code ML-DSA-44}... */
    public String jcaName() {
        return jcaName;
    }

    /** The named curve of an EC key ({@code secp256r1}), null for the others. */
    public String curve() {
        return curve;
    }

    /** Key size for EC and RSA; for the post-quantum keys the classical strength of their NIST category (128, 192, 256). */
    public int bits() {
        return bits;
    }

    /** JCA name of the signature algorithm this key signs certificates with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /**
     * The OID of a post-quantum key, which is its signature algorithm's too (FIPS 204/205 via NIST's CSOR arc, composite
     * via the PKIX arc); null for the classical keys, whose key OID and signature OIDs differ.
     */
    public ASN1ObjectIdentifier oid() {
        return oid;
    }

    /**
     * The provider that makes, reads and signs with this key, when it must be one: the JDK's own (SUN) for ML-DSA, because
     * ACCP, when loaded first, offers ML-DSA keys too but encodes their private keys seed-only, a form the JDK's ML-DSA cannot
     * read back, so a key it made would not sign after a restart; BouncyCastle for SLH-DSA and the composites, which nothing
     * else has. Null for the classical keys: the first provider (ACCP when loaded) serves them.
     */
    public String provider() {
        return switch (family) {
            case ML_DSA -> "SUN";
            case SLH_DSA, COMPOSITE -> {
                CryptoProviders.install();
                yield "BC";
            }
            default -> null;
        };
    }

    /** A signature engine for this key's algorithm, from {@link #provider()} when it names one. */
    public java.security.Signature newSignature() throws GeneralSecurityException {
        String p = provider();
        return p == null ? java.security.Signature.getInstance(signatureAlgorithm) : java.security.Signature.getInstance(signatureAlgorithm, p);
    }

    /** A key factory for this key type, from {@link #provider()} when it names one. */
    public java.security.KeyFactory keyFactory() throws GeneralSecurityException {
        String p = provider();
        return p == null ? java.security.KeyFactory.getInstance(jcaName) : java.security.KeyFactory.getInstance(jcaName, p);
    }

    public KeyPair generate() {
        try {
            String p = provider();
            KeyPairGenerator generator = p == null ? KeyPairGenerator.getInstance(jcaName) : KeyPairGenerator.getInstance(jcaName, p);
            if (curve != null) {
                generator.initialize(new ECGenParameterSpec(curve));
            } else if (family == Family.RSA) {
                generator.initialize(bits);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot generate " + id + " key: " + e.getMessage(), e);
        }
    }

    /** The post-quantum algorithm whose key (and signature) OID is {@code oid}, or null. */
    public static KeyAlgorithm ofOid(ASN1ObjectIdentifier oid) {
        for (KeyAlgorithm a : values()) {
            if (oid.equals(a.oid)) {
                return a;
            }
        }
        return null;
    }

    /** The post-quantum algorithm of {@code key} (read from its encoding: JDK and BouncyCastle keys name them differently), or null. */
    public static KeyAlgorithm ofPostQuantumKey(java.security.PublicKey key) {
        try {
            return ofOid(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm().getAlgorithm());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Also accepts the composite specification's names with their {@code id-} prefix ({@code id-MLDSA44-ECDSA-P256-SHA256}). */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static KeyAlgorithm parse(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        if (wanted.startsWith("id-mldsa")) {
            wanted = wanted.substring(3);
        }
        for (KeyAlgorithm a : values()) {
            if (a.id.equals(wanted)) {
                return a;
            }
        }
        throw HallmarkException.badInput("unknown key algorithm '" + id + "' (known: " + known() + ")");
    }

    /**
     * The key to make for a server-side key generation request (RFC 7030 §4.4) whose CSR carries a key
     * {@link KeyPolicy#check} described as {@code keyDescription}: a key of that same type. The CSR's key
     * has passed the profile's key policy by then, so the type is one the profile allows; what is refused
     * here is a type allowed but not made, e.g. {@code ec-p521} or an RSA size other than 2048, 3072, 4096
     * (the sizes are fixed so that one request cannot ask for minutes of prime search).
     *
     * @throws HallmarkException BAD_INPUT naming the type asked for and the types made
     */
    public static KeyAlgorithm toGenerateLike(String keyDescription) {
        for (KeyAlgorithm a : values()) {
            if (a.id.equals(keyDescription)) { // KeyPolicy describes keys with these ids (KeyPolicyTest holds them together)
                return a;
            }
        }
        throw HallmarkException.badInput("server-side key generation cannot make the " + keyDescription
                + " key the CSR asks for (it makes " + known() + ")");
    }

    public static String known() {
        return Arrays.stream(values()).map(KeyAlgorithm::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
