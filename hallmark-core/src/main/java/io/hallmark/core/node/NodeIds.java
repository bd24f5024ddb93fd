package io.hallmark.core.node;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The default name of a node: unique among nodes on one database as long as no two share a host and a port. */
public final class NodeIds {

    private NodeIds() {
    }

    /** {@code HOSTNAME:PORT}, the port being the node's HTTPS port. */
    public static String defaultId(int port) {
        return hostname() + ":" + port;
    }

    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();

    /** {@code HOSTNAME/pidPID-N}: a node without a port of its own (an embedded instance, a test), unique per instance. */
    public static String forProcess() {
        return hostname() + "/pid" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet();
    }

    private static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.strip();
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Refuses a name that would be confusing in logs and /healthz: 1 to 255 printable ASCII characters, no spaces. */
    public static String check(String id) {
        if (id == null || !id.matches("[!-~]{1,255}")) {
            throw io.hallmark.core.error.HallmarkException.badInput("--node-id must be 1 to 255 printable characters without spaces, not '" + id + "'");
        }
        return id;
    }
}
