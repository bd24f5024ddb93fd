package io.hallmark.device;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.error.Unreachable;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * An RFC 7030 client over {@link HttpClient}. One instance is one TLS identity (or none, for cacerts
 * alone) and one fresh SSLContext; close it to release the client's threads.
 */
public final class EstClient implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_REASON = 300;

    private final URI base;
    private final HttpClient http;

    /**
     * @param server        e.g. https://est.example.com:8443 (a path prefix before /.well-known is kept)
     * @param label         EST label (RFC 7030 §3.2.2), null or empty for the default
     * @param serverAnchors the CA certificates the server's TLS certificate must chain to
     * @param credential    the TLS client certificate and key; null for none
     */
    public EstClient(URI server, String label, List<X509Certificate> serverAnchors, DeviceCredential credential) {
        if (!"https".equalsIgnoreCase(server.getScheme()) || server.getHost() == null) {
            throw HallmarkException.badInput("the EST server must be an https:// URL with a host, not '" + server + "'");
        }
        String root = server.toString().replaceAll("/+$", "");
        boolean hasLabel = label != null && !label.isEmpty();
        if (hasLabel && !label.matches("[A-Za-z0-9._~-]+")) {
            throw HallmarkException.badInput("EST label '" + label + "' must be letters, digits and . _ ~ - only");
        }
        this.base = URI.create(root + "/.well-known/est" + (hasLabel ? "/" + label : "") + "/");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.create(serverAnchors, credential))
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** RFC 7030 §4.1: the label's CA certificates, as a chain (issuing CA first, root last). */
    public List<X509Certificate> cacerts() {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(base.resolve("cacerts")).GET(), "cacerts");
        return CertsOnly.orderChain(CertsOnly.parse(response.body(), "cacerts"));
    }

    /**
     * RFC 7030 §4.5: the CSR attributes the server asks for, as DER (a CsrAttrs); empty when the server has none
     * (204 or 404, both allowed by the RFC).
     */
    public byte[] csrattrs() {
        HttpResponse<byte[]> response;
        try {
            response = send(HttpRequest.newBuilder(base.resolve("csrattrs")).GET(), "csrattrs");
        } catch (HallmarkException e) {
            if (e.kind() == HallmarkException.Kind.NOT_FOUND) return new byte[0];
            throw e;
        }
        String text = new String(response.body(), StandardCharsets.US_ASCII).replaceAll("\\s+", "");
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "the server's csrattrs response is not base64");
        }
    }

    /** RFC 7030 §4.2.1: the first certificate, authenticated by the credential this client was made with. */
    public X509Certificate simpleEnroll(byte[] csrDer, PublicKey requested) {
        return enroll("simpleenroll", csrDer, requested);
    }

    /** RFC 7030 §4.2.2: a renewed certificate, authenticated by the current one. */
    public X509Certificate simpleReenroll(byte[] csrDer, PublicKey requested) {
        return enroll("simplereenroll", csrDer, requested);
    }

    private X509Certificate enroll(String operation, byte[] csrDer, PublicKey requested) {
        byte[] body = (Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(csrDer) + "\n").getBytes(StandardCharsets.US_ASCII);
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(base.resolve(operation))
                .header("Content-Type", "application/pkcs10")
                .header("Content-Transfer-Encoding", "base64")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), operation);
        // The response should hold exactly our certificate; pick it by key so extra certificates cannot confuse us.
        for (X509Certificate cert : CertsOnly.parse(response.body(), operation)) {
            if (cert.getPublicKey().equals(requested)) return cert;
        }
        throw new HallmarkException(HallmarkException.Kind.INTERNAL, "the server's " + operation + " response holds no certificate for the key we sent");
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, String operation) {
        URI uri = base.resolve(operation);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, operation + ": no answer from " + uri + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (ConnectException e) {
            // A refused port and a name that does not resolve both arrive here, told apart by the cause.
            throw Unreachable.of(e, uri.getHost(), port(uri), operation + ": " + uri).orElseGet(() ->
                    new HallmarkException(HallmarkException.Kind.UNAVAILABLE, operation + ": cannot connect to " + uri + ": " + reason(e), e));
        } catch (SSLException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, operation + ": TLS with " + uri + " failed: " + reason(e), e);
        } catch (IOException e) {
            throw Unreachable.of(e, uri.getHost(), port(uri), operation + ": " + uri).orElseGet(() ->
                    new HallmarkException(HallmarkException.Kind.INTERNAL, operation + ": " + uri + ": " + reason(e), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, operation + " interrupted", e);
        }
        if (response.statusCode() == 204 && operation.equals("csrattrs")) {
            return response;
        }
        if (response.statusCode() != 200) {
            throw refusal(operation, response);
        }
        return response;
    }

    /** The server explains refusals in a text/plain body; its first line, with the status, is the message. */
    static HallmarkException refusal(String operation, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String text = new String(response.body(), StandardCharsets.UTF_8).strip();
        String line = text.lines().map(String::strip).filter(s -> !s.isEmpty()).findFirst().orElse("");
        boolean plain = response.headers().firstValue("Content-Type").map(t -> t.startsWith("text/plain")).orElse(false);
        if (!plain || line.isEmpty()) line = "no reason given";
        if (line.length() > MAX_REASON) line = line.substring(0, MAX_REASON) + "...";
        HallmarkException.Kind kind = switch (status) {
            case 400, 413, 415 -> HallmarkException.Kind.BAD_INPUT;
            case 401 -> HallmarkException.Kind.UNAUTHENTICATED;
            case 403 -> HallmarkException.Kind.FORBIDDEN;
            case 404 -> HallmarkException.Kind.NOT_FOUND;
            case 409 -> HallmarkException.Kind.CONFLICT;
            default -> HallmarkException.Kind.INTERNAL;
        };
        return new HallmarkException(kind, "EST server refused " + operation + " (HTTP " + status + "): " + line);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443;
    }

    /** The innermost useful message: HttpClient wraps the cause of a failed connection without text. */
    private static String reason(Throwable e) {
        Throwable t = e;
        String message = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage();
            t = t.getCause();
        }
        return message != null ? message : e.getClass().getSimpleName();
    }

    @Override
    public void close() {
        http.close();
    }
}
