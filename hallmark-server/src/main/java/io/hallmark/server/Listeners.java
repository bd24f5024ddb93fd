package io.hallmark.server;

import io.hallmark.core.error.HallmarkException;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.net.BindException;

/**
 * Takes the listeners' ports before the server issues or signs anything, and says in one line why it could not:
 * Jetty's own message ("Failed to bind to /127.0.0.1:8443") names neither the cause nor what to do.
 */
final class Listeners {

    private Listeners() {
    }

    /** Binds each connector, in order; on a failure the ones already bound are released. */
    static void bind(ServerConnector... connectors) {
        for (int i = 0; i < connectors.length; i++) {
            try {
                connectors[i].open();
            } catch (IOException e) {
                release(connectors);
                throw refusal(address(connectors[i]), e);
            }
        }
    }

    static void release(ServerConnector... connectors) {
        for (ServerConnector c : connectors) {
            c.close();
        }
    }

    /** In use: conflict (exit code 5); not allowed (a port below 1024): forbidden (6); anything else, such as an address this host does not have: bad input (3). */
    static HallmarkException refusal(String address, IOException e) {
        Throwable cause = e instanceof BindException ? e : e.getCause();
        String reason = cause != null && cause.getMessage() != null ? cause.getMessage() : String.valueOf(e.getMessage());
        if (cause instanceof BindException && reason.contains("in use")) {
            return HallmarkException.conflict("cannot listen on " + address + ": the address is in use (another server running?)");
        }
        if (reason.contains("Permission denied")) {
            return HallmarkException.forbidden("cannot listen on " + address + ": permission denied (ports below 1024 need CAP_NET_BIND_SERVICE)");
        }
        return HallmarkException.badInput("cannot listen on " + address + ": " + reason);
    }

    private static String address(ServerConnector c) {
        String host = c.getHost() == null ? "0.0.0.0" : c.getHost();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + c.getPort();
    }
}
