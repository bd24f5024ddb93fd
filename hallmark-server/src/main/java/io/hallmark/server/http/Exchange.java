package io.hallmark.server.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * One request and its response, for endpoint code that should not care about Jetty. Handlers run on
 * virtual threads, so reading the body blocks without cost.
 */
public final class Exchange {

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Map<String, String> pathParams;
    private boolean done;
    private java.io.OutputStream streaming;
    private java.util.function.Function<String, byte[]> stopRecord;

    Exchange(Request request, Response response, Callback callback, Map<String, String> pathParams) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.pathParams = pathParams;
    }

    /** For a handler outside the router (the plain listener's OCSP front), which then answers through it. */
    public static Exchange of(Request request, Response response, Callback callback) {
        return new Exchange(request, response, callback, Map.of());
    }

    public String method() {
        return request.getMethod();
    }

    public String path() {
        return Request.getPathInContext(request);
    }

    /** The path as sent, still percent-encoded (OCSP GET puts base64 there, where '/' and '+' matter). */
    public String rawPath() {
        return request.getHttpURI().getPath();
    }

    public String param(String name) {
        return pathParams.get(name);
    }

    public String query() {
        return request.getHttpURI().getQuery();
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The declared body length (Content-Length); -1 if not declared. */
    public long length() {
        return request.getLength();
    }

    /** The media type without parameters, lowercased; null if absent. */
    public String contentType() {
        return mediaType(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
    }

    /** A Content-Type header's media type without parameters, lowercased; null if absent. */
    public static String mediaType(String contentType) {
        return contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** The client's IP address (the peer of the connection; a proxy in front is that address). */
    public String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    public boolean secure() {
        return request.isSecure();
    }

    /** The TLS client certificate chain, leaf first; empty without one (or over plain HTTP). */
    public List<X509Certificate> clientChain() {
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData ssl && ssl.peerCertificates() != null) {
            return List.of(ssl.peerCertificates());
        }
        return List.of();
    }

    /**
     * How much of a body declared too large is read and dropped before the 413: a client that sends its whole body
     * before reading the answer (most do) would otherwise have its connection reset under it, the answer lost, when the
     * server closes with the body unread. Beyond this the connection is closed at once.
     */
    static final long DRAINED_AT_MOST = 64 * 1024;

    /** The body, refused with 413 beyond {@code max} bytes, whatever Content-Length claimed. */
    public byte[] body(int max) {
        long declared = request.getLength();
        if (declared > max) {
            if (declared <= DRAINED_AT_MOST) drain(declared);
            throw new HttpError(413, "request body of " + declared + " bytes is larger than the " + max + " accepted");
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw HttpError.tooLarge(max);
            }
            return bytes;
        } catch (IOException e) {
            // The reason is Jetty's (an early EOF, a bad chunk): internals, not for the client.
            throw new HttpError(400, "cannot read the request body: the connection ended or the body was malformed");
        }
    }

    /** Reads and drops up to {@code declared} bytes of the body (bounded by the read deadline like any read). */
    private void drain(long declared) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] scratch = new byte[8192];
            for (long left = declared; left > 0; ) {
                int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
                if (n < 0) return;
                left -= n;
            }
        } catch (IOException e) {
            // The client went away or sent less than it declared: the 413 is still the answer.
        }
    }

    /**
     * The body as a stream, for requests too large to hold (factory batches); the caller bounds what it keeps.
     * It is read at the endpoint's pace for as long as it lasts, so the read deadline no longer applies.
     */
    public InputStream bodyStream() {
        ReadDeadline.streaming(request);
        return Content.Source.asInputStream(request);
    }

    /**
     * Starts a streamed response: what is written reaches the client as it is flushed. The router closes
     * the stream (and completes the exchange) when the endpoint returns, whether or not it did.
     */
    public java.io.OutputStream stream(int status, String contentType) {
        return stream(status, contentType, reason -> ("{\"error\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(reason) + "}\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Starts a streamed response whose body is a sequence of records in some format; {@code stopRecord}
     * makes the record that ends it, saying why, if the endpoint fails after it started.
     */
    public java.io.OutputStream stream(int status, String contentType, java.util.function.Function<String, byte[]> stopRecord) {
        if (done) throw new IllegalStateException("response already sent");
        done = true;
        this.stopRecord = stopRecord;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        streaming = Content.Sink.asOutputStream(response);
        return streaming;
    }

    /** Ends a streamed response; called by the router. */
    void finish(boolean failed) {
        finish(failed, null);
    }

    /** Ends a streamed response, with a last record saying why it stopped if it failed. */
    void finish(boolean failed, String reason) {
        if (streaming == null) return;
        try {
            if (reason != null) {
                streaming.write(stopRecord.apply(reason));
            }
            streaming.close();
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e);
        }
        if (failed) streaming = null;
    }

    public void header(String name, String value) {
        response.getHeaders().put(name, value);
    }

    public void send(int status, String contentType, byte[] body) {
        if (done) throw new IllegalStateException("response already sent");
        done = true;
        response.setStatus(status);
        if (contentType != null) response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(new HttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length)));
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** A response without a body and without Content-Length (304 Not Modified: the headers are the cached answer's). */
    public void sendEmpty(int status) {
        if (done) throw new IllegalStateException("response already sent");
        done = true;
        response.setStatus(status);
        response.write(true, null, callback);
    }

    /** The error's status, headers and its reason ({@link #reason}) as text/plain. */
    public void error(HttpError e) {
        e.headers().forEach(this::header);
        text(e.status(), reason(e.getMessage()));
    }

    /** How long a reason may be: a reason often quotes what the client sent (a serial, a file name), which may be 8 KiB. */
    static final int MAX_REASON = 400;

    /** The first line of a reason, cut at {@link #MAX_REASON} characters. */
    public static String reason(String message) {
        String line = String.valueOf(message).lines().findFirst().orElse("");
        return line.length() <= MAX_REASON ? line : line.substring(0, MAX_REASON - 3) + "...";
    }

    public void text(int status, String text) {
        send(status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public boolean done() {
        return done;
    }
}
