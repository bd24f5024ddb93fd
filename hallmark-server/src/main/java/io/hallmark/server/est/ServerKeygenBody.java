package io.hallmark.server.est;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The RFC 7030 §4.4.2 answer to serverkeygen: multipart/mixed with the private key (PKCS#8, protected by
 * TLS) first and the certificate (certs-only CMS) second, each base64 with its Content-Transfer-Encoding.
 * Jetty's multipart writer does the framing, so every delimiter follows a CRLF as RFC 2046 §5.1.1 says;
 * strict clients (libest) find no second part when a delimiter follows a bare LF.
 *
 * @param contentType {@code multipart/mixed; boundary=...}
 */
record ServerKeygenBody(String contentType, byte[] bytes) {

    static final String PRIVATE_KEY = "application/pkcs8";

    static ServerKeygenBody of(byte[] pkcs8, byte[] certsOnly) {
        MultiPart.AbstractContentSource multipart = new MultiPart.AbstractContentSource(MultiPart.generateBoundary("hallmark-", 24)) { };
        multipart.addPart(base64Part(PRIVATE_KEY, pkcs8));
        multipart.addPart(base64Part(EstEndpoints.CERTS_ONLY, certsOnly));
        multipart.close();
        try {
            ByteBuffer buffer = Content.Source.asByteBuffer(multipart);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return new ServerKeygenBody("multipart/mixed; boundary=" + multipart.getBoundary(), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the serverkeygen multipart body", e); // in memory: not expected
        }
    }

    /** RFC 2045 base64: lines of 76 characters ending in CRLF, unlike the LF-only single-part answers (see Pkcs7.base64). */
    private static MultiPart.Part base64Part(String contentType, byte[] der) {
        HttpFields headers = HttpFields.build()
                .put("Content-Type", contentType)
                .put("Content-Transfer-Encoding", "base64");
        byte[] text = Base64.getMimeEncoder().encodeToString(der).getBytes(StandardCharsets.US_ASCII);
        return new MultiPart.ByteBufferPart(null, null, headers, ByteBuffer.wrap(text));
    }
}
