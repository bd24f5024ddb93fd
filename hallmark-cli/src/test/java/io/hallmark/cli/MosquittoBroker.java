package io.hallmark.cli;

import io.hallmark.testing.Peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A private Mosquitto on a free loopback port (the system one is left alone), configured by
 * {@code hallmark export broker --type mosquitto} as an operator would: client certificates chaining to the exported
 * ca.pem, the certificate's CN as user name, crl.pem checked. {@link #refresh()} runs the export again, which rewrites
 * crl.pem and reloads the broker by its pid file.
 */
public final class MosquittoBroker implements AutoCloseable {

    private final Path data;
    private final Path dir;
    private final int port;
    private final List<String> export;
    private final PeerProcess process;

    private MosquittoBroker(Path data, Path dir, int port, List<String> export, PeerProcess process) {
        this.data = data;
        this.dir = dir;
        this.port = port;
        this.export = export;
        this.process = process;
    }

    /** Exports the broker files of installation {@code data} into {@code dir} and starts Mosquitto on them. */
    public static MosquittoBroker exported(Path data, Path dir, Path certfile, Path keyfile) throws Exception {
        Path mosquitto = Peers.tool("mosquitto");
        Files.createDirectories(dir);
        int port = PeerProcess.freePort();
        List<String> export = List.of("export", "broker", "--type", "mosquitto", "--out", dir.toString(), "--listen", "127.0.0.1:" + port,
                "--server-cert", certfile.toString(), "--server-key", keyfile.toString());
        Cli.ok(data, export.toArray(String[]::new));
        // The exported snippet as it is; around it only what a test on this machine needs.
        Path conf = Files.writeString(dir.resolve("main.conf"), String.join("\n",
                "user " + System.getProperty("user.name"), // stay this user: the key files are 0600
                "pid_file " + dir.resolve("mosquitto.pid"),
                "log_dest stderr", "log_type all", "persistence false", "") + Files.readString(dir.resolve("mosquitto.conf")));
        PeerProcess process = PeerProcess.start(dir, "mosquitto", port, List.of(mosquitto.toString(), "-c", conf.toString()));
        return new MosquittoBroker(data, dir, port, export, process);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "ssl://127.0.0.1:" + port;
    }

    /** The export again: crl.pem rewritten when revocations changed, and the broker told by its pid file (SIGHUP). */
    public void refresh() throws Exception {
        List<String> args = new ArrayList<>(export);
        args.addAll(List.of("--reload-pid", dir.resolve("mosquitto.pid").toString()));
        Cli.ok(data, args.toArray(String[]::new));
        Thread.sleep(500); // the reload happens in the broker's main loop
    }

    public String log() {
        return process.log();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
