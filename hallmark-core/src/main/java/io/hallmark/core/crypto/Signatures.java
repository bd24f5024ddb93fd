package io.hallmark.core.crypto;

import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

import java.io.OutputStream;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;

/**
 * Signature verification on the hot paths (CSR proof of possession, the issued certificate's self-check).
 * The common algorithms go straight to JCA with a key from the first provider's own factory (ACCP when
 * loaded; the JDK's ML-DSA): BouncyCastle's verifier builder costs about twice the verification itself (a BC key object
 * that ACCP re-imports, small writes through its output stream; for certificates, a CertificateFactory
 * parse of the issuer each time). Anything else (RSA-PSS, Ed448...) takes BouncyCastle's general path.
 */
public final class Signatures {

    private static final Map<ASN1ObjectIdentifier, String> JCA_NAMES = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA",
            PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA",
            PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA",
            PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA",
            EdECObjectIdentifiers.id_Ed25519, "Ed25519");

    private static final Map<ASN1ObjectIdentifier, String> KEY_TYPES = Map.of(
            X9ObjectIdentifiers.id_ecPublicKey, "EC",
            PKCSObjectIdentifiers.rsaEncryption, "RSA",
            EdECObjectIdentifiers.id_Ed25519, "Ed25519");

    /**
     * Provider lookups cost a few microseconds per getInstance, a few percent of a factory worker's time; the
     * engines are not thread-safe but are reusable (initVerify resets them), so each thread keeps its own.
     */
    private static final ThreadLocal<Engines> JCA = ThreadLocal.withInitial(Engines::new);

    private static final class Engines {
        private final Map<String, KeyFactory> keyFactories = new java.util.HashMap<>();
        private final Map<String, Signature> signatures = new java.util.HashMap<>();

        KeyFactory keyFactory(String type, String provider) throws java.security.GeneralSecurityException {
            KeyFactory f = keyFactories.get(type);
            if (f == null) {
                keyFactories.put(type, f = provider == null ? KeyFactory.getInstance(type) : KeyFactory.getInstance(type, provider));
            }
            return f;
        }

        Signature signature(String name, String provider) throws java.security.GeneralSecurityException {
            Signature s = signatures.get(name);
            if (s == null) {
                signatures.put(name, s = provider == null ? Signature.getInstance(name) : Signature.getInstance(name, provider));
            }
            return s;
        }
    }

    private Signatures() {
    }

    /** Whether {@code signature} over {@code signed} verifies with {@code key}; false (never an exception) for any failure. */
    public static boolean verify(AlgorithmIdentifier algorithm, SubjectPublicKeyInfo key, byte[] signed, byte[] signature) {
        try {
            KeyAlgorithm pq = KeyAlgorithm.ofOid(algorithm.getAlgorithm());
            // A post-quantum key signs only its own algorithm (the OIDs are the same): the JDK's ML-DSA, BouncyCastle's others
            String name = pq != null ? pq.signatureAlgorithm() : JCA_NAMES.get(algorithm.getAlgorithm());
            String keyType = pq != null && pq.oid().equals(key.getAlgorithm().getAlgorithm()) ? pq.jcaName() : KEY_TYPES.get(key.getAlgorithm().getAlgorithm());
            boolean absentParameters = algorithm.getParameters() == null || algorithm.getParameters() instanceof ASN1Null;
            if (name == null || keyType == null || !absentParameters) {
                ContentVerifier verifier = new JcaContentVerifierProviderBuilder().build(key).get(algorithm);
                try (OutputStream out = verifier.getOutputStream()) {
                    out.write(signed);
                }
                return verifier.verify(signature);
            }
            String provider = pq == null ? null : pq.provider();
            PublicKey publicKey = JCA.get().keyFactory(keyType, provider).generatePublic(new X509EncodedKeySpec(key.getEncoded()));
            Signature verifier = JCA.get().signature(name, provider);
            verifier.initVerify(publicKey);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (Exception e) {
            return false;
        }
    }
}
