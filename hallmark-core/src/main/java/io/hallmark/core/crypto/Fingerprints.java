package io.hallmark.core.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Digests used as stable identifiers: certificate fingerprints and key identifiers. */
public final class Fingerprints {

    private Fingerprints() {
    }

    /**
     * One engine per thread and algorithm: {@link MessageDigest#getInstance} walks the providers on every call, about
     * as long as digesting a certificate (a factory worker takes four digests per device). {@code digest} resets it.
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> engine("SHA-256"));
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> engine("SHA-1"));

    public static byte[] sha256(byte[] data) {
        return SHA256.get().digest(data);
    }

    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }

    public static byte[] sha1(byte[] data) {
        return SHA1.get().digest(data);
    }

    private static MessageDigest engine(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
    }
}
