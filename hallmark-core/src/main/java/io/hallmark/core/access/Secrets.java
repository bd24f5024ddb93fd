package io.hallmark.core.access;

import io.hallmark.core.crypto.Fingerprints;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Bearer secrets of the form {@code PREFIX_ID_SECRET}: the id finds the record, the secret (256 random
 * bits) proves possession. Only SHA-256 of the secret is stored; with 256 bits of entropy a slow hash
 * adds nothing, and a fast one keeps authentication off the hot path's profile.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    public record Issued(String id, String token, String hash) {
    }

    public record Presented(String id, String secret) {
    }

    private Secrets() {
    }

    public static Issued issue(String prefix) {
        byte[] id = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String idHex = HexFormat.of().formatHex(id);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Issued(idHex, prefix + "_" + idHex + "_" + secretText, hash(secretText));
    }

    public static Optional<Presented> parse(String prefix, String token) {
        if (token == null) return Optional.empty();
        String[] parts = token.trim().split("_", 3);
        if (parts.length != 3 || !parts[0].equals(prefix) || !parts[1].matches("[0-9a-f]{12}") || parts[2].length() < 40) {
            return Optional.empty();
        }
        return Optional.of(new Presented(parts[1], parts[2]));
    }

    public static String hash(String secret) {
        return Fingerprints.sha256Hex(secret.getBytes(StandardCharsets.US_ASCII));
    }

    /** Constant-time comparison of a presented secret with a stored hash. */
    public static boolean matches(String secret, String storedHash) {
        return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
