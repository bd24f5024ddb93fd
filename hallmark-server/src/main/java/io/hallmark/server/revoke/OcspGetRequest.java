package io.hallmark.server.revoke;

import io.hallmark.core.revoke.OcspResponder;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The OCSP GET form (RFC 6960 Appendix A.1): {@code GET /ocsp/BASE64}, where BASE64 is the URL-encoded
 * base64 of the DER request, as it appears in the path after {@code /ocsp/}. Decoding it is HTTP's part;
 * the responder (core) gets the DER request, as from a POST body.
 */
public final class OcspGetRequest {

    private OcspGetRequest() {
    }

    /**
     * The DER request, or null if {@code encoded} does not decode; the responder answers null with
     * malformedRequest (and counts it), as it does a POST body that is no OCSP request.
     */
    public static byte[] der(String encoded) {
        try {
            if (encoded == null || encoded.length() > OcspResponder.MAX_REQUEST_BYTES * 2) {
                return null;
            }
            String b64 = percentDecode(encoded).replace('-', '+').replace('_', '/').strip();
            return Base64.getMimeDecoder().decode(b64);
        } catch (Exception e) {
            return null;
        }
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) return s;
        // Only %XX escapes: '+' is a base64 character here, not a space.
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) throw new IllegalArgumentException("truncated escape");
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.US_ASCII);
    }
}
