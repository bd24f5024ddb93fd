package io.hallmark.core.crypto;

import io.hallmark.core.error.HallmarkException;

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
 * fixes its certificates' signature suite. Post-quantum ML-DSA joins here as further constants.
 */
public enum KeyAlgorithm {
    EC_P256("ec-p256", "EC", "secp256r1", 256, "SHA256withECDSA"),
    EC_P384("ec-p384", "EC", "secp384r1", 384, "SHA384withECDSA"),
    ED25519("ed25519", "Ed25519", null, 255, "Ed25519"),
    RSA_2048("rsa-2048", "RSA", null, 2048, "SHA256withRSA"),
    RSA_3072("rsa-3072", "RSA", null, 3072, "SHA256withRSA"),
    RSA_4096("rsa-4096", "RSA", null, 4096, "SHA384withRSA");

    private final String id;
    private final String jcaName;
    private final String curve;
    private final int bits;
    private final String signatureAlgorithm;

    KeyAlgorithm(String id, String jcaName, String curve, int bits, String signatureAlgorithm) {
        this.id = id;
        this.jcaName = jcaName;
        this.curve = curve;
        this.bits = bits;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The name used in hierarchy files, the CLI and the store, e.g. {@code ec-p256}. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return id;
    }

    public String jcaName() {
        return jcaName;
    }

    /** The named curve of an EC key ({@code secp256r1}), null for the others. */
    public String curve() {
        return curve;
    }

    public int bits() {
        return bits;
    }

    /** JCA name of the signature algorithm this key signs certificates with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    public KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaName);
            if (curve != null) {
                generator.initialize(new ECGenParameterSpec(curve));
            } else if (jcaName.equals("RSA")) {
                generator.initialize(bits);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot generate " + id + " key: " + e.getMessage(), e);
        }
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static KeyAlgorithm parse(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
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
