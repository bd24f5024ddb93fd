package io.hallmark.server.est;

import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.text.SafeText;
import io.hallmark.server.http.Exchange;
import io.hallmark.server.http.HttpError;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What an EST enrollment request (simpleenroll, simplereenroll, serverkeygen) says before anything is decided: the
 * PKCS#10 request its body carries and the HTTP Basic credentials its Authorization header may hold. Read from the
 * header values and the body (already bounded by the caller) alone, so every way a client can get them wrong is a
 * 4xx decided here, and the reading can be tested and fuzzed without a server (EstRequestFuzzTest).
 *
 * @param csr   the DER of the request, not yet checked (CheckedCsr does that in the enrollment)
 * @param basic the HTTP Basic credentials (RFC 7030 §3.2.3), or null
 */
record EstRequest(byte[] csr, Evidence.SharedSecret basic) {

    static final String PKCS10 = "application/pkcs10";

    /** How much of a header value an error message repeats: enough to recognise it, never a whole 8 KiB header. */
    private static final int QUOTED = 40;

    /**
     * @param contentType      the Content-Type header as sent, or null
     * @param transferEncoding the Content-Transfer-Encoding header as sent, or null. RFC 8951 §3.2.2: EST bodies are
     *                         base64 whatever it says, so it is only named in the refusal of a body that is not
     * @param authorization    the Authorization header as sent, or null
     * @param body             the body, at most {@link EstEndpoints#MAX_BODY} bytes
     */
    static EstRequest read(String contentType, String transferEncoding, String authorization, byte[] body) {
        String type = Exchange.mediaType(contentType);
        if (!PKCS10.equals(type)) {
            throw new HttpError(415, "Content-Type must be application/pkcs10 (a base64 PKCS#10 request), not " + (type == null ? "absent" : quoted(type)));
        }
        return new EstRequest(decodeBase64(body, transferEncoding), basic(authorization));
    }

    /** Strict base64: whitespace and line breaks allowed, anything else is a 400. */
    static byte[] decodeBase64(byte[] body, String transferEncoding) {
        String text = new String(body, StandardCharsets.US_ASCII).replaceAll("\\s+", "");
        if (text.isEmpty()) {
            throw new HttpError(400, "empty request body: expected a base64 PKCS#10 request");
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            String declared = transferEncoding == null || transferEncoding.isBlank() || transferEncoding.strip().equalsIgnoreCase("base64")
                    ? "" : " whatever Content-Transfer-Encoding says (here " + quoted(transferEncoding.strip()) + ")";
            throw new HttpError(400, "the body is not base64: EST sends the PKCS#10 request base64-encoded (RFC 7030, RFC 8951)" + declared);
        }
    }

    /** RFC 7617 credentials, "user:secret" in base64; null without a Basic Authorization header. */
    static Evidence.SharedSecret basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) throw new IllegalArgumentException("no colon");
            return new Evidence.SharedSecret(decoded.substring(0, colon), decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "malformed HTTP Basic credentials");
        }
    }

    /** A client's header value in a reason: escaped (it reaches logs too), its apostrophes too so the quote ends where it seems to, and cut short. */
    private static String quoted(String value) {
        String cut = value.length() > QUOTED ? value.substring(0, QUOTED) + "..." : value;
        return "'" + SafeText.escape(cut).replace("'", "\\'") + "'";
    }
}
