package io.hallmark.core.crypto;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;

/**
 * Which signature algorithms Hallmark accepts on what it is asked to sign (a CSR's proof of possession):
 * ECDSA, RSA PKCS#1 v1.5 and RSASSA-PSS over SHA-256, SHA-384, SHA-512 or SHA-3 of those sizes, Ed25519 and
 * Ed448, and the post-quantum signatures of {@link KeyAlgorithm} (pure ML-DSA, pure SLH-DSA, composite ML-DSA). An allow-list, so that a new or exotic algorithm is refused until someone decides it is strong.
 * SHA-1 (chosen-prefix collisions: SHAttered 2017, Shambles 2020), MD5 and MD2/MD4 get their own message,
 * the one people will meet: old openssl defaults and {@code openssl req -sha1}.
 */
public final class SignatureAlgorithmPolicy {

    /** The message for SHA-1 and MD5 family signatures, after "CSR signed with NAME; ". */
    public static final String WEAK_DIGEST = "SHA-1 and MD5 signatures are refused, sign with SHA-256 or stronger";

    private static final String NOT_ACCEPTED = "only ECDSA, RSA (PKCS#1 v1.5 or RSASSA-PSS) with SHA-256 or stronger, Ed25519, Ed448, "
            + "ML-DSA, SLH-DSA and composite ML-DSA are accepted, sign with SHA-256 or stronger";

    /**
     * RFC names (RFC 3279, 4055, 5758, 8410, 9688; RFC 9881 and RFC 9909 for ML-DSA and SLH-DSA, the composite specification's
     * {@code id-MLDSA44-ECDSA-P256-SHA256} form) of the algorithms Hallmark accepts.
     */
    private static final Map<ASN1ObjectIdentifier, String> ACCEPTED = withPostQuantum(Map.ofEntries(
            entry(X9ObjectIdentifiers.ecdsa_with_SHA256, "ecdsa-with-SHA256"),
            entry(X9ObjectIdentifiers.ecdsa_with_SHA384, "ecdsa-with-SHA384"),
            entry(X9ObjectIdentifiers.ecdsa_with_SHA512, "ecdsa-with-SHA512"),
            entry(NISTObjectIdentifiers.id_ecdsa_with_sha3_256, "id-ecdsa-with-sha3-256"),
            entry(NISTObjectIdentifiers.id_ecdsa_with_sha3_384, "id-ecdsa-with-sha3-384"),
            entry(NISTObjectIdentifiers.id_ecdsa_with_sha3_512, "id-ecdsa-with-sha3-512"),
            entry(PKCSObjectIdentifiers.sha256WithRSAEncryption, "sha256WithRSAEncryption"),
            entry(PKCSObjectIdentifiers.sha384WithRSAEncryption, "sha384WithRSAEncryption"),
            entry(PKCSObjectIdentifiers.sha512WithRSAEncryption, "sha512WithRSAEncryption"),
            entry(NISTObjectIdentifiers.id_rsassa_pkcs1_v1_5_with_sha3_256, "id-rsassa-pkcs1-v1_5-with-sha3-256"),
            entry(NISTObjectIdentifiers.id_rsassa_pkcs1_v1_5_with_sha3_384, "id-rsassa-pkcs1-v1_5-with-sha3-384"),
            entry(NISTObjectIdentifiers.id_rsassa_pkcs1_v1_5_with_sha3_512, "id-rsassa-pkcs1-v1_5-with-sha3-512"),
            entry(EdECObjectIdentifiers.id_Ed25519, "Ed25519"),
            entry(EdECObjectIdentifiers.id_Ed448, "Ed448")));

    private static Map<ASN1ObjectIdentifier, String> withPostQuantum(Map<ASN1ObjectIdentifier, String> classical) {
        Map<ASN1ObjectIdentifier, String> all = new java.util.HashMap<>(classical);
        for (KeyAlgorithm a : KeyAlgorithm.values()) {
            if (a.postQuantum()) {
                all.put(a.oid(), a.family() == KeyAlgorithm.Family.COMPOSITE ? "id-" + a.jcaName() : "id-" + a.id());
            }
        }
        return Map.copyOf(all);
    }

    /** Signatures over a broken digest: the SHA-1 and MD5 message. */
    private static final Map<ASN1ObjectIdentifier, String> WEAK = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA1, "ecdsa-with-SHA1",
            PKCSObjectIdentifiers.sha1WithRSAEncryption, "sha1WithRSAEncryption",
            PKCSObjectIdentifiers.md5WithRSAEncryption, "md5WithRSAEncryption",
            PKCSObjectIdentifiers.md4WithRSAEncryption, "md4WithRSAEncryption",
            PKCSObjectIdentifiers.md2WithRSAEncryption, "md2WithRSAEncryption",
            X9ObjectIdentifiers.id_dsa_with_sha1, "id-dsa-with-sha1",
            OIWObjectIdentifiers.sha1WithRSA, "sha1WithRSA (OIW)",
            OIWObjectIdentifiers.md5WithRSA, "md5WithRSA (OIW)",
            OIWObjectIdentifiers.dsaWithSHA1, "dsaWithSHA1 (OIW)");

    /** Named only so that the refusal says what was used. */
    private static final Map<ASN1ObjectIdentifier, String> OTHER_NAMES = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA224, "ecdsa-with-SHA224",
            PKCSObjectIdentifiers.sha224WithRSAEncryption, "sha224WithRSAEncryption",
            NISTObjectIdentifiers.dsa_with_sha224, "id-dsa-with-sha224",
            NISTObjectIdentifiers.dsa_with_sha256, "id-dsa-with-sha256");

    private static final Map<ASN1ObjectIdentifier, String> DIGESTS = Map.of(
            NISTObjectIdentifiers.id_sha256, "SHA-256", NISTObjectIdentifiers.id_sha384, "SHA-384", NISTObjectIdentifiers.id_sha512, "SHA-512",
            NISTObjectIdentifiers.id_sha3_256, "SHA3-256", NISTObjectIdentifiers.id_sha3_384, "SHA3-384", NISTObjectIdentifiers.id_sha3_512, "SHA3-512",
            OIWObjectIdentifiers.idSHA1, "SHA-1", PKCSObjectIdentifiers.md5, "MD5", NISTObjectIdentifiers.id_sha224, "SHA-224");

    private static final Set<ASN1ObjectIdentifier> STRONG_DIGESTS = Set.of(NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384,
            NISTObjectIdentifiers.id_sha512, NISTObjectIdentifiers.id_sha3_256, NISTObjectIdentifiers.id_sha3_384, NISTObjectIdentifiers.id_sha3_512);

    private static final Set<ASN1ObjectIdentifier> WEAK_DIGESTS = Set.of(OIWObjectIdentifiers.idSHA1, PKCSObjectIdentifiers.md5);

    private SignatureAlgorithmPolicy() {
    }

    /** Why {@code algorithm} is refused (a phrase to follow "signed with NAME; "), or null when it is accepted. */
    public static String refusal(AlgorithmIdentifier algorithm) {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (ACCEPTED.containsKey(oid)) {
            return null;
        }
        if (WEAK.containsKey(oid)) {
            return WEAK_DIGEST;
        }
        if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
            RSASSAPSSparams pss = pss(algorithm);
            if (pss == null) {
                return NOT_ACCEPTED;
            }
            ASN1ObjectIdentifier hash = pss.getHashAlgorithm().getAlgorithm();
            ASN1ObjectIdentifier mgfHash = mgf1Hash(pss);
            if (WEAK_DIGESTS.contains(hash) || (mgfHash != null && WEAK_DIGESTS.contains(mgfHash))) {
                return WEAK_DIGEST;
            }
            return mgfHash != null && STRONG_DIGESTS.contains(hash) && STRONG_DIGESTS.contains(mgfHash) ? null : NOT_ACCEPTED;
        }
        return NOT_ACCEPTED;
    }

    /** Whether {@code name} is the RFC name of an algorithm Hallmark accepts (as {@link #name} gives it). */
    public static boolean isName(String name) {
        return ACCEPTED.containsValue(name);
    }

    /** The algorithm's RFC name ({@code ecdsa-with-SHA1}, {@code RSASSA-PSS with SHA-256}), or its dotted OID. */
    public static String name(AlgorithmIdentifier algorithm) {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        String name = ACCEPTED.getOrDefault(oid, WEAK.getOrDefault(oid, OTHER_NAMES.get(oid)));
        if (name != null) {
            return name;
        }
        if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
            RSASSAPSSparams pss = pss(algorithm);
            ASN1ObjectIdentifier hash = pss == null ? null : pss.getHashAlgorithm().getAlgorithm();
            return pss == null ? "RSASSA-PSS with malformed parameters" : "RSASSA-PSS with " + DIGESTS.getOrDefault(hash, hash.getId());
        }
        return oid.getId();
    }

    /** RFC 4055 parameters (absent means all defaults: SHA-1, MGF1 with SHA-1); null when malformed. */
    private static RSASSAPSSparams pss(AlgorithmIdentifier algorithm) {
        try {
            return algorithm.getParameters() == null ? new RSASSAPSSparams() : RSASSAPSSparams.getInstance(algorithm.getParameters());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The digest MGF1 uses; null for a mask generation function other than MGF1 (refused as not accepted). */
    private static ASN1ObjectIdentifier mgf1Hash(RSASSAPSSparams pss) {
        AlgorithmIdentifier mgf = pss.getMaskGenAlgorithm();
        if (!mgf.getAlgorithm().equals(PKCSObjectIdentifiers.id_mgf1)) {
            return null;
        }
        try {
            return AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
