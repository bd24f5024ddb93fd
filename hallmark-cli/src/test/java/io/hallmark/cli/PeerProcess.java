package io.hallmark.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** A real peer (a broker, a web server) the test started on a loopback port, its output in a log file; stopped with SIGTERM. */
final class PeerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private PeerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code dir}, output to DIR/NAME.log, and waits until it listens on {@code port}. */
    static PeerProcess start(Path dir, String name, int port, List<String> command) throws Exception {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PeerProcess peer = new PeerProcess(name, p, log);
        try {
            peer.awaitListening(port);
        } catch (Throwable t) {
            peer.close();
            throw t;
        }
        return peer;
    }

    /** A port nothing listens on now, on the loopback interface. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) fail(name + " exited: " + log());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        fail(name + " did not listen on " + port + ": " + log());
    }

    long pid() {
        return process.pid();
    }

    /** Its output so far, for assertion messages. */
    String log() {
        try {
            return "\n--- " + log.getFileName() + "\n" + Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
