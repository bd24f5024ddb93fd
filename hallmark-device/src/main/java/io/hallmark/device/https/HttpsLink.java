package io.hallmark.device.https;

import io.hallmark.device.DeviceCredential;
import io.hallmark.device.TlsContexts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An HTTPS backend (nginx with {@code ssl_verify_client on}, an on-premises API) called with the LDevID as client
 * certificate: a GET every few seconds, counted. A renewal replaces the client, so the next call presents the new
 * certificate. Only changes are logged (first answer, a different status, a failure), not every call.
 */
public final class HttpsLink implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_BODY = 64 * 1024;

    /** @param lastStatus the last HTTP status, 0 when the last call got none (TLS or network failure) */
    public record Stats(String url, long ok, long failed, int lastStatus, String lastError) {
    }

    private final URI url;
    private final List<X509Certificate> anchors;
    private final Consumer<String> log;
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile HttpClient client;
    private volatile DeviceCredential credential;
    private volatile int lastStatus = -1;
    private volatile String lastError;

    public HttpsLink(URI url, List<X509Certificate> anchors, DeviceCredential credential, Consumer<String> log) {
        this.url = url;
        this.anchors = List.copyOf(anchors);
        this.log = log;
        rotate(credential);
    }

    /** The next call presents {@code renewed}. */
    public synchronized void rotate(DeviceCredential renewed) {
        HttpClient old = client;
        credential = renewed;
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(TlsContexts.create(anchors, renewed))
                .connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        if (old != null) old.close();
    }

    /** One GET; never throws (the schedule must go on). */
    public void call() {
        String serial = credential.certificate().getSerialNumber().toString(16);
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                ok.incrementAndGet();
                lastError = null;
            } else {
                failed.incrementAndGet();
                lastError = url + ": HTTP " + status + " " + firstLine(response.body());
            }
            if (status != lastStatus) {
                log.accept(url + ": HTTP " + status + (status < 300 ? "" : " (refused: " + firstLine(response.body()) + ")")
                        + " with certificate serial " + serial);
            }
            lastStatus = status;
        } catch (IOException e) {
            failed.incrementAndGet();
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (lastStatus != 0 || !reason.equals(lastError)) log.accept(url + ": no answer with certificate serial " + serial + ": " + reason);
            lastError = reason;
            lastStatus = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Stats stats() {
        return new Stats(url.toString(), ok.get(), failed.get(), Math.max(0, lastStatus), lastError);
    }

    private static String firstLine(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, MAX_BODY), java.nio.charset.StandardCharsets.UTF_8);
        // nginx explains a refused certificate in an HTML page's title ("400 The SSL certificate error").
        java.util.regex.Matcher title = java.util.regex.Pattern.compile("<title>([^<]{1,200})</title>").matcher(text);
        if (title.find()) return title.group(1).strip();
        String line = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("<!")).findFirst().orElse("");
        line = line.replaceAll("<[^>]{0,200}>", "").strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    @Override
    public void close() {
        client.close();
    }
}
