package io.hallmark.bench;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.device.DeviceCredential;
import io.hallmark.device.OneCredentialKeyManager;
import io.hallmark.device.TlsContexts;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The light EST client of one bench thread: one SSLContext for the thread's life, and per enrollment a new TCP
 * connection, a full mutual-TLS handshake, one HTTP/1.1 POST written on the socket and the response read with a
 * bound. What a device's {@link io.hallmark.device.EstClient} does too, without the java.net.http machinery (a
 * selector thread and an executor per client) that made the load generator take the server's CPU on a small machine.
 *
 * <p>No session is ever resumed: each session is invalidated when its connection is done, which drops it (and the
 * TLS 1.3 tickets that came with it) from the context's cache, and {@link OneCredentialKeyManager} counts the client
 * signatures that prove each handshake was a full one.
 */
final class SocketEnroller {

    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 30_000;
    /** An enrollment response is one certificate in a PKCS#7, some 1 KB; a much larger answer is not one. */
    static final int MAX_RESPONSE = 64 * 1024;

    private final String host;
    private final int port;
    private final String path;
    private final SSLContext context;
    private final OneCredentialKeyManager identity = new OneCredentialKeyManager(null);

    SocketEnroller(URI server, String label, List<X509Certificate> anchors) {
        if (!"https".equalsIgnoreCase(server.getScheme()) || server.getHost() == null) {
            throw HallmarkException.badInput("the EST server must be an https:// URL with a host, not '" + server + "'");
        }
        this.host = server.getHost();
        this.port = server.getPort() >= 0 ? server.getPort() : 443;
        String prefix = server.getRawPath() == null ? "" : server.getRawPath().replaceAll("/+$", "");
        this.path = prefix + "/.well-known/est" + (label == null || label.isEmpty() ? "" : "/" + label) + "/simpleenroll";
        this.context = TlsContexts.create(anchors, identity);
    }

    /** Client signatures made so far: one per full mutual-TLS handshake. */
    long fullHandshakes() {
        return identity.privateKeyRequests();
    }

    /** The thread's context with its counting key manager, for the test that shows a resumed session is not counted. */
    SSLContext context() {
        return context;
    }

    /** The IDevID the next handshake shows (set by {@link #enroll} too). */
    void use(DeviceCredential idevid) {
        identity.use(idevid);
    }

    /** One enrollment on a new connection; the certificate the server issued for {@code requested}. */
    X509Certificate enroll(DeviceCredential idevid, byte[] csrDer, PublicKey requested) {
        identity.use(idevid);
        byte[] body = (Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(csrDer) + "\n").getBytes(StandardCharsets.US_ASCII);
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Content-Type: application/pkcs10\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] response;
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the server's name is checked, as HttpClient does
            socket.setSSLParameters(parameters);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            try {
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write(concat(head.getBytes(StandardCharsets.US_ASCII), body));
                out.flush();
                response = readBounded(socket.getInputStream());
            } finally {
                socket.getSession().invalidate();
            }
        } catch (IOException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "simpleenroll: " + host + ":" + port + ": " + e.getMessage(), e);
        }
        HttpReply reply = HttpReply.parse(response);
        if (reply.status() != 200) {
            String line = new String(reply.body(), StandardCharsets.UTF_8).strip().lines().findFirst().orElse("no reason given");
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "EST server refused simpleenroll (HTTP " + reply.status() + "): " + line);
        }
        return certificateFor(reply.body(), requested);
    }

    /** The certificate in a certs-only PKCS#7 (base64) whose key is {@code requested}; anything else fails. */
    static X509Certificate certificateFor(byte[] body, PublicKey requested) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(new String(body, StandardCharsets.US_ASCII).replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "the server's simpleenroll response is not base64");
        }
        try {
            for (X509CertificateHolder holder : new CMSSignedData(der).getCertificates().getMatches(null)) {
                X509Certificate cert = Pem.x509(holder.getEncoded());
                if (cert.getPublicKey().equals(requested)) return cert;
            }
        } catch (CMSException | IOException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "the server's simpleenroll response is not a certs-only PKCS#7: " + e.getMessage());
        }
        throw new HallmarkException(HallmarkException.Kind.INTERNAL, "the server's simpleenroll response holds no certificate for the key we sent");
    }

    /** Everything until the server closes (we asked for Connection: close), at most {@link #MAX_RESPONSE} bytes. */
    static byte[] readBounded(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream(4096);
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            all.write(buffer, 0, n);
            if (all.size() > MAX_RESPONSE) throw new IOException("response larger than " + MAX_RESPONSE + " bytes");
        }
        return all.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** An HTTP/1.1 response read to the end: status and body (by Content-Length, chunked, or up to the close). */
    record HttpReply(int status, byte[] body) {

        static HttpReply parse(byte[] raw) {
            int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
            if (end < 0) throw bad("no end of headers in " + raw.length + " bytes");
            String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) throw bad("not an HTTP/1.x status line: " + lines[0]);
            int status;
            try {
                status = Integer.parseInt(statusLine[1]);
            } catch (NumberFormatException e) {
                throw bad("not an HTTP status: " + lines[0]);
            }
            Integer length = null;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon < 0) throw bad("not a header line: " + lines[i]);
                String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).strip();
                if (name.equals("content-length")) length = Integer.parseInt(value);
                if (name.equals("transfer-encoding")) chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
            int from = end + 4;
            if (chunked) return new HttpReply(status, dechunk(raw, from));
            if (length != null) {
                if (raw.length - from < length) throw bad("body shorter than its Content-Length " + length);
                return new HttpReply(status, java.util.Arrays.copyOfRange(raw, from, from + length));
            }
            return new HttpReply(status, java.util.Arrays.copyOfRange(raw, from, raw.length));
        }

        private static byte[] dechunk(byte[] raw, int at) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                int lineEnd = indexOf(raw, new byte[]{'\r', '\n'}, at);
                if (lineEnd < 0) throw bad("truncated chunk size");
                String size = new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII).split(";", 2)[0].strip();
                int n = Integer.parseInt(size, 16);
                at = lineEnd + 2;
                if (n == 0) return out.toByteArray();
                if (raw.length - at < n + 2) throw bad("truncated chunk");
                out.write(raw, at, n);
                at += n + 2;
            }
        }

        private static int indexOf(byte[] haystack, byte[] needle, int from) {
            outer:
            for (int i = from; i <= haystack.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
                return i;
            }
            return -1;
        }

        private static HallmarkException bad(String what) {
            return new HallmarkException(HallmarkException.Kind.INTERNAL, "simpleenroll: malformed HTTP response: " + what);
        }
    }
}
