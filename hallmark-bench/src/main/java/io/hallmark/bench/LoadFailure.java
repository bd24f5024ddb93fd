package io.hallmark.bench;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;

/**
 * A request of the load that did not succeed, by kind: the report counts kinds, so that a fault test can
 * tell a clean refusal from a wrong answer. Kinds: {@code connect} (nothing listens: refused, or no
 * connection in time), {@code closed} (the connection ended or was reset mid-exchange, handshake included), {@code timeout},
 * {@code tls}, {@code http_NNN} (a status other than success; a 5xx without {@code Retry-After} is
 * {@code http_NNN_no_retry_after}, so that an unclean overload answer shows), and {@code wrong_answer} (a
 * success status whose body is not a valid answer to what was asked).
 */
final class LoadFailure extends Exception {

    final String kind;

    LoadFailure(String kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    static LoadFailure wrongAnswer(String why) {
        return new LoadFailure("wrong_answer", why);
    }

    static LoadFailure status(HttpResponse<?> response) {
        int status = response.statusCode();
        boolean retryAfter = response.headers().firstValue("Retry-After").isPresent();
        String kind = "http_" + status + (status >= 500 && !retryAfter ? "_no_retry_after" : "");
        return new LoadFailure(kind, "HTTP " + status + " from " + response.uri());
    }

    /** The kind of an exception the HTTP client threw. */
    static LoadFailure of(Throwable e) {
        boolean tls = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException) return new LoadFailure("connect", message(e));
            if (t instanceof HttpTimeoutException) return new LoadFailure("timeout", message(e));
            tls |= t instanceof SSLException;
        }
        // A connection the server ended (killed, say) mid-request, even mid-handshake: lost, not a TLS fault.
        String text = chain(e).toLowerCase(java.util.Locale.ROOT);
        if (e instanceof ClosedChannelException || text.contains("closed") || text.contains("eof") || text.contains("reset")
                || text.contains("broken pipe") || text.contains("terminated the handshake") || text.contains("received no bytes")) {
            return new LoadFailure("closed", message(e));
        }
        return new LoadFailure(tls ? "tls" : "io", message(e));
    }

    /** Every message in the cause chain: the JDK wraps the telling one (a reset) in a handshake exception. */
    private static String chain(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) b.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append("; ");
        return b.toString();
    }

    private static String message(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage();
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
