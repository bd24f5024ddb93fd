package io.hallmark.core.crypto;

import io.hallmark.core.error.HallmarkException;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Certificate serial numbers: 159 random bits, so the DER INTEGER is positive and at most 20 octets
 * (RFC 5280 §4.1.2.2) and nodes never need to coordinate. 159 bits also exceeds the CA/B Forum's
 * 64 bits of entropy by far, making collisions a non-event at any fleet size.
 */
public final class Serials {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Serials() {
    }

    public static BigInteger random() {
        return random(MAX_BITS);
    }

    /** The most random bits a serial takes: positive and at most 20 octets (RFC 5280 4.1.2.2). */
    public static final int MAX_BITS = 159;

    /**
     * A positive serial of {@code bits} random bits (63 fit 8 octets: a Matter certificate, which must stay within 600
     * bytes, takes such a shorter one; a collision is still found by the store's unique serial).
     */
    public static BigInteger random(int bits) {
        BigInteger serial;
        do {
            serial = new BigInteger(bits, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    /** Lowercase hex without separators: the one form Hallmark prints and accepts. */
    public static String hex(BigInteger serial) {
        if (serial.signum() <= 0) {
            return serial.toString(16);
        }
        // BigInteger.toString(16) divides in a loop; from the bytes it is a table lookup (every certificate pays this).
        String hex = HEX.formatHex(serial.toByteArray());
        int start = 0;
        while (start < hex.length() - 1 && hex.charAt(start) == '0') {
            start++;
        }
        return hex.substring(start);
    }

    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    public static BigInteger parse(String text) {
        String cleaned = text.trim().toLowerCase(Locale.ROOT).replace(":", "");
        if (cleaned.startsWith("0x")) {
            cleaned = cleaned.substring(2);
        }
        if (cleaned.isEmpty() || cleaned.length() > 40 || !cleaned.chars().allMatch(HexFormat::isHexDigit)) {
            throw HallmarkException.badInput("not a serial number (lowercase hex, at most 20 octets): '" + text + "'");
        }
        return new BigInteger(cleaned, 16);
    }

    /** Normalises a serial typed by a person to the stored form (no leading zeros, lowercase). */
    public static String normalize(String text) {
        return hex(parse(text));
    }
}
