package io.hallmark.core.error;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a connection to another machine could not be made, in the words an operator acts on: the name does not
 * resolve (fix the name or the resolver), or nothing answers at the address (start the server, open the port).
 * Both are {@link HallmarkException.Kind#UNAVAILABLE}. The JDK's HttpClient reports either as a
 * {@code ConnectException} without a message, only its cause telling them apart ({@code UnresolvedAddressException}
 * or a {@code ClosedChannelException}); a plain socket throws {@code UnknownHostException} or
 * {@code ConnectException("Connection refused")}. Reading only the innermost message, callers used to say
 * "connection closed by the server" or "connection refused" for a name that does not exist.
 */
public final class Unreachable {

    private Unreachable() {
    }

    /**
     * @param failure what a connection attempt to {@code host:port} threw
     * @param context what was being done, the start of the message (e.g. "cacerts", "cannot reach https://host:8443")
     * @return the failure as one line naming the host, or empty if it is not a failure to connect (TLS, a cut stream)
     */
    public static Optional<HallmarkException> of(Throwable failure, String host, int port, String context) {
        return reason(failure, host, port).map(why -> HallmarkException.unavailable(context + ": " + why, failure));
    }

    /** The reason alone ("cannot resolve HOST ...", "the server is not reachable: connection refused at HOST:PORT ..."). */
    public static Optional<String> reason(Throwable failure, String host, int port) {
        boolean connect = false;
        String detail = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return Optional.of("cannot resolve " + host + " (no address for that name; check the name and the resolver)");
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                connect = true;
                if (detail == null && t.getMessage() != null && !t.getMessage().isBlank()) detail = t.getMessage();
            }
        }
        if (!connect) return Optional.empty();
        String what = detail == null ? "connection refused" : detail.strip().toLowerCase(Locale.ROOT);
        return Optional.of("the server is not reachable: " + what + " at " + authority(host, port)
                + " (is it running, and listening on that address?)");
    }

    private static String authority(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
