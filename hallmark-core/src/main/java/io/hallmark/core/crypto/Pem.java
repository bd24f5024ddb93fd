package io.hallmark.core.crypto;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** PEM and DER in and out. Input may be either; errors name what was expected. */
public final class Pem {

    private Pem() {
    }

    /** Returns the DER of the first PEM block of the given type, or the input itself if it is not PEM. */
    public static byte[] derOf(byte[] input, String type) {
        List<byte[]> blocks = blocks(input, type);
        if (!blocks.isEmpty()) {
            return blocks.getFirst();
        }
        if (looksLikePem(input)) {
            throw HallmarkException.badInput("PEM input has no '" + type + "' block");
        }
        return input;
    }

    /**
     * The DER of a text that is one PEM block of the given type (what a factory result or request
     * carries), decoded with {@code java.util.Base64} rather than a PEM parser; anything else (several
     * blocks, headers, another type) goes through {@link #derOf}.
     */
    public static byte[] derOfSingle(String text, String type) {
        String begin = "-----BEGIN " + type + "-----", end = "-----END " + type + "-----";
        int from = text.indexOf(begin), to = text.indexOf(end);
        if (from >= 0 && to > from && text.indexOf("-----", from + begin.length()) == to && text.indexOf(':', from) < 0
                && text.indexOf("-----BEGIN ", to) < 0 && text.substring(0, from).isBlank()) {
            try {
                return MIME_DECODER.decode(text.substring(from + begin.length(), to));
            } catch (IllegalArgumentException e) {
                throw HallmarkException.badInput("malformed PEM: " + io.hallmark.core.error.ParseFailure.reason(e));
            }
        }
        return derOf(text.getBytes(StandardCharsets.US_ASCII), type);
    }

    private static final java.util.Base64.Decoder MIME_DECODER = java.util.Base64.getMimeDecoder();

    /** All PEM blocks of one type, in order (empty if the input is not PEM). */
    public static List<byte[]> blocks(byte[] input, String type) {
        List<byte[]> out = new ArrayList<>();
        if (!looksLikePem(input)) {
            return out;
        }
        try (PemReader reader = new PemReader(new StringReader(new String(input, StandardCharsets.US_ASCII)))) {
            PemObject object;
            while ((object = reader.readPemObject()) != null) {
                if (object.getType().equals(type)) {
                    out.add(object.getContent());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw HallmarkException.badInput("malformed PEM: " + io.hallmark.core.error.ParseFailure.reason(e));
        }
        return out;
    }

    private static final byte[] BEGIN = "-----BEGIN ".getBytes(StandardCharsets.US_ASCII);

    /** Whether "-----BEGIN " occurs in the first 4 KiB; scanned in place, as DER input (the factory's common case) comes here too. */
    private static boolean looksLikePem(byte[] input) {
        int end = Math.min(input.length, 4096) - BEGIN.length;
        for (int i = 0; i <= end; i++) {
            if (input[i] == '-' && java.util.Arrays.equals(input, i, i + BEGIN.length, BEGIN, 0, BEGIN.length)) {
                return true;
            }
        }
        return false;
    }

    public static String encode(String type, byte[] der) {
        // RFC 7468 strict form, as OpenSSL writes it: 64-column base64, LF line ends. java.util.Base64 rather
        // than BouncyCastle's PemWriter, which is several times slower and shows in factory throughput.
        String body = MIME.encodeToString(der);
        StringBuilder pem = new StringBuilder(body.length() + 2 * type.length() + 36);
        pem.append("-----BEGIN ").append(type).append("-----\n").append(body);
        if (!body.isEmpty()) {
            pem.append('\n');
        }
        return pem.append("-----END ").append(type).append("-----\n").toString();
    }

    private static final java.util.Base64.Encoder MIME = java.util.Base64.getMimeEncoder(64, new byte[]{'\n'});

    public static String certificate(byte[] der) {
        return encode("CERTIFICATE", der);
    }

    public static X509Certificate x509(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw HallmarkException.badInput("not an X.509 certificate: " + io.hallmark.core.error.ParseFailure.reason(e));
        }
    }

    public static X509CertificateHolder holder(byte[] der) {
        try {
            return new X509CertificateHolder(der);
        } catch (IOException | RuntimeException e) {
            throw HallmarkException.badInput("not an X.509 certificate: " + io.hallmark.core.error.ParseFailure.reason(e));
        }
    }
}
