package io.hallmark.core.crypto;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which subject keys a profile accepts. Checked on the CSR before signing and again on the issued
 * certificate. Works on the encoded SubjectPublicKeyInfo so that the decision does not depend on which
 * JCA provider happens to parse the key.
 *
 * @param allowed    key kinds: {@code ec-p256}, {@code ec-p384}, {@code ec-p521}, {@code ed25519},
 *                   {@code ed448}, {@code rsa}, and the post-quantum ones by their {@link KeyAlgorithm} ids
 *                   ({@code ml-dsa-44}, {@code slh-dsa-sha2-128s}, {@code mldsa44-ecdsa-p256-sha256}, ...)
 * @param minRsaBits smallest RSA modulus accepted (never below 2048)
 * @param signatureAlgorithms the algorithms the issuing CA may sign this profile's certificates with, by RFC name
 *                   ({@code ecdsa-with-SHA256}, {@code Ed25519}, {@code sha256WithRSAEncryption}) or dotted OID (for
 *                   algorithms Hallmark has no name for yet, such as ML-DSA or composites); empty: any Hallmark accepts
 */
public record KeyPolicy(Set<String> allowed, int minRsaBits,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) Set<String> signatureAlgorithms) {

    // Declared before DEFAULT: the constructor of DEFAULT reads it.
    private static final List<String> KINDS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("ec-p256", "ec-p384", "ec-p521", "ed25519", "ed448", "rsa"),
            java.util.Arrays.stream(KeyAlgorithm.values()).filter(KeyAlgorithm::postQuantum).map(KeyAlgorithm::id)).toList();

    /**
     * The classical kinds of old plus every post-quantum key Hallmark makes: a CA of a post-quantum chain is checked
     * against this policy (the CA profiles use it), and devices that have an ML-DSA key should not need a custom profile.
     * A profile that wants classical keys only says so in {@code keys.allowed}.
     */
    public static final KeyPolicy DEFAULT = new KeyPolicy(KINDS.stream().filter(k -> !k.equals("ec-p521") && !k.equals("ed448"))
            .collect(java.util.stream.Collectors.toSet()), 2048);

    /** FIPS 204 and FIPS 205 public key sizes: a key of another length is malformed, refused before anything verifies with it. */
    private static final Map<KeyAlgorithm.Family, Map<Integer, Integer>> PUBLIC_KEY_BYTES = Map.of(
            KeyAlgorithm.Family.ML_DSA, Map.of(128, 1312, 192, 1952, 256, 2592),
            KeyAlgorithm.Family.SLH_DSA, Map.of(128, 32, 192, 48, 256, 64));

    private static final int MAX_RSA_BITS = 8192;
    private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "ec-p256",
            SECObjectIdentifiers.secp384r1, "ec-p384",
            SECObjectIdentifiers.secp521r1, "ec-p521");

    public KeyPolicy(Set<String> allowed, int minRsaBits) {
        this(allowed, minRsaBits, Set.of());
    }

    public KeyPolicy {
        signatureAlgorithms = Collections.unmodifiableSet(new TreeSet<>(signatureAlgorithms == null ? Set.of() : signatureAlgorithms));
        for (String name : signatureAlgorithms) {
            if (!SignatureAlgorithmPolicy.isName(name) && !name.matches("[0-2](\\.(0|[1-9]\\d*))+")) {
                throw HallmarkException.badInput("unknown signature algorithm '" + name + "' in keys.signatureAlgorithms (an RFC name such as"
                        + " ecdsa-with-SHA256, Ed25519, sha256WithRSAEncryption, or a dotted OID)");
            }
        }
        // Sorted, so that the JSON stored for a profile is the same text on every run (Set.copyOf's order is not).
        allowed = Collections.unmodifiableSet(new TreeSet<>(allowed));
        for (String kind : allowed) {
            if (!KINDS.contains(kind)) {
                throw HallmarkException.badInput("unknown key kind '" + kind + "' in keys.allowed (known: " + String.join(", ", KINDS) + ")");
            }
        }
        if (minRsaBits < 2048) {
            throw HallmarkException.badInput("RSA keys below 2048 bits cannot be allowed (asked for " + minRsaBits + ")");
        }
    }

    /** From a hierarchy file or stored JSON, where either field may be left out. */
    @JsonCreator
    public static KeyPolicy of(@JsonProperty("allowed") List<String> allowed, @JsonProperty("minRsaBits") Integer minRsaBits,
                               @JsonProperty("signatureAlgorithms") List<String> signatureAlgorithms) {
        return new KeyPolicy(allowed == null || allowed.isEmpty() ? DEFAULT.allowed() : Set.copyOf(allowed),
                minRsaBits == null ? 2048 : minRsaBits, signatureAlgorithms == null ? Set.of() : Set.copyOf(signatureAlgorithms));
    }

    public static KeyPolicy of(List<String> allowed, Integer minRsaBits) {
        return of(allowed, minRsaBits, null);
    }

    /**
     * Null when a certificate of this profile may be signed with {@code algorithm}, else why not. Checked before
     * signing (a CA whose key does not fit is a configuration error, refused with this reason) and on every certificate.
     */
    public String signatureRefusal(AlgorithmIdentifier algorithm) {
        if (signatureAlgorithms.isEmpty()) return null; // any signature Hallmark makes; nothing to name
        String name = SignatureAlgorithmPolicy.name(algorithm);
        return signatureAlgorithms.isEmpty() || signatureAlgorithms.contains(name) || signatureAlgorithms.contains(algorithm.getAlgorithm().getId())
                ? null : "signed with " + name + "; the profile allows " + String.join(", ", signatureAlgorithms);
    }

    /**
     * Checks the key and returns a short description of it ({@code ec-p256}, {@code rsa-3072}, ...).
     *
     * @throws HallmarkException BAD_INPUT naming what is wrong with the key
     */
    public String check(SubjectPublicKeyInfo key) {
        ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
        String kind;
        String description;
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            if (!(key.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve)) {
                throw HallmarkException.badInput("EC keys must name their curve; explicit curve parameters are not accepted");
            }
            kind = CURVES.get(curve);
            if (kind == null) {
                throw HallmarkException.badInput("EC curve " + curve.getId() + " is not allowed (allowed: " + allowedList() + ")");
            }
            description = kind;
        } else if (algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
            kind = description = "ed25519";
        } else if (algorithm.equals(EdECObjectIdentifiers.id_Ed448)) {
            kind = description = "ed448";
        } else if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            kind = "rsa";
            description = "rsa-" + checkRsa(key);
        } else if (KeyAlgorithm.ofOid(algorithm) instanceof KeyAlgorithm pq) {
            kind = description = pq.id();
            checkPostQuantum(pq, key);
        } else {
            throw HallmarkException.badInput("key algorithm " + algorithm.getId() + " is not allowed (allowed: " + allowedList() + ")");
        }
        if (!allowed.contains(kind)) {
            throw HallmarkException.badInput(description + " keys are not allowed by this profile (allowed: " + allowedList() + ")");
        }
        return description;
    }

    /** RFC 9881 §4 / RFC 9909: parameters absent, the raw public key as the BIT STRING; composites are checked by their verifier. */
    private static void checkPostQuantum(KeyAlgorithm algorithm, SubjectPublicKeyInfo key) {
        if (key.getAlgorithm().getParameters() != null) {
            throw HallmarkException.badInput(algorithm.id() + " public keys have no algorithm parameters (RFC 9881, RFC 9909; the composite specification)");
        }
        Integer expected = PUBLIC_KEY_BYTES.getOrDefault(algorithm.family(), Map.of()).get(algorithm.bits());
        int length = key.getPublicKeyData().getBytes().length;
        if (expected != null && (length != expected || key.getPublicKeyData().getPadBits() != 0)) {
            throw HallmarkException.badInput("malformed " + algorithm.id() + " public key: " + length + " bytes, not " + expected);
        }
    }

    private int checkRsa(SubjectPublicKeyInfo key) {
        RSAPublicKey rsa;
        try {
            rsa = RSAPublicKey.getInstance(key.parsePublicKey());
        } catch (Exception e) {
            throw HallmarkException.badInput("malformed RSA public key");
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < minRsaBits) {
            throw HallmarkException.badInput("RSA key of " + bits + " bits is too weak (minimum " + minRsaBits + ")");
        }
        if (bits > MAX_RSA_BITS) {
            throw HallmarkException.badInput("RSA key of " + bits + " bits is larger than the " + MAX_RSA_BITS + " accepted");
        }
        BigInteger e = rsa.getPublicExponent();
        if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(65537)) < 0) {
            throw HallmarkException.badInput("RSA public exponent " + e + " is not accepted (odd, at least 65537)");
        }
        return bits;
    }

    private String allowedList() {
        return String.join(", ", allowed.stream().sorted().toList());
    }
}
