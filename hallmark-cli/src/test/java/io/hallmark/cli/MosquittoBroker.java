package io.hallmark.cli;

import io.hallmark.testing.Peers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A private Mosquitto on a free loopback port (the system one is left alone), demanding client certificates and
 * taking the certificate's CN as the user name, as a backend trusting Hallmark's devices is configured. With a
 * {@code crlfile} it refuses revoked certificates; {@link #reload()} makes it read a rewritten one (SIGHUP).
 */
public final class MosquittoBroker implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Process process;

    private MosquittoBroker(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /**
     * @param cafile   the CA certificates client certificates must chain to
     * @param certfile the broker's certificate, its chain after it
     * @param crlfile  PEM CRL(s) of the client certificates' issuer; null for none
     */
    public static MosquittoBroker start(Path dir, Path cafile, Path certfile, Path keyfile, Path crlfile) throws Exception {
        Path mosquitto = Peers.tool("mosquitto");
        Files.createDirectories(dir);
        int port = freePort();
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                "log_dest stderr",
                "log_type all",
                "user " + System.getProperty("user.name"), // stay this user: the key files are 0600
                "cafile " + cafile,
                "certfile " + certfile,
                "keyfile " + keyfile,
                crlfile == null ? "" : "crlfile " + crlfile,
                "require_certificate true",
                "use_identity_as_username true", ""));
        Process process = new ProcessBuilder(mosquitto.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        MosquittoBroker broker = new MosquittoBroker(dir, port, process);
        broker.awaitListening();
        return broker;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "ssl://127.0.0.1:" + port;
    }

    public boolean running() {
        return process.isAlive();
    }

    /** SIGHUP: Mosquitto reads its configuration again, the CRL file included, for new connections. */
    public void reload() throws Exception {
        Peers.Result r = Peers.run(dir, "kill", "-HUP", String.valueOf(process.pid()));
        if (r.exit() != 0) fail("kill -HUP failed: " + r.all());
        Thread.sleep(500); // the reload happens in the broker's main loop
    }

    public String log() {
        try {
            return "\n--- " + dir.resolve("mosquitto.log") + "\n" + Files.readString(dir.resolve("mosquitto.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) fail("mosquitto exited:" + log());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        fail("mosquitto did not listen on " + port + ":" + log());
    }
}
