package io.hallmark.core.crypto;

import java.util.Arrays;

/**
 * The few DER primitives Hallmark writes and reads by hand on hot paths (CRL encoding, batch
 * certificates, the CSR's signed part), where BouncyCastle's general ASN.1 objects cost more than the
 * work around them. Definite lengths only, as DER requires; readers assume input already checked as DER.
 */
public final class Der {

    public static final byte SEQUENCE = 0x30;
    public static final byte BIT_STRING = 0x03;

    private Der() {
    }

    /** Tag plus length octets for a value of {@code contentLength} bytes. */
    public static int headerLength(int contentLength) {
        if (contentLength < 0x80) return 2;
        if (contentLength < 0x100) return 3;
        if (contentLength < 0x10000) return 4;
        if (contentLength < 0x1000000) return 5;
        return 6;
    }

    /** Writes tag and length at {@code at}; returns the offset after them. */
    public static int writeHeader(byte[] out, int at, byte tag, int length) {
        int n = headerLength(length);
        out[at] = tag;
        if (n == 2) {
            out[at + 1] = (byte) length;
        } else {
            out[at + 1] = (byte) (0x80 | (n - 2));
            for (int i = n - 1, v = length; i >= 2; i--, v >>>= 8) {
                out[at + i] = (byte) v;
            }
        }
        return at + n;
    }

    public static byte[] header(byte tag, int length) {
        byte[] h = new byte[headerLength(length)];
        writeHeader(h, 0, tag, length);
        return h;
    }

    /** A whole TLV whose value is the concatenation of {@code parts}. */
    public static byte[] tlv(byte tag, byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[headerLength(length) + length];
        int at = writeHeader(out, 0, tag, length);
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The first element (tag, length and value) inside the constructed value that starts {@code der}. */
    public static byte[] firstElement(byte[] der) {
        int at = headerLengthAt(der, 0);
        return Arrays.copyOfRange(der, at, at + headerLengthAt(der, at) + contentLengthAt(der, at));
    }

    private static int headerLengthAt(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        return first < 0x80 ? 2 : 2 + (first & 0x7f);
    }

    private static int contentLengthAt(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = length << 8 | der[at + 2 + i] & 0xff;
        }
        return length;
    }
}
