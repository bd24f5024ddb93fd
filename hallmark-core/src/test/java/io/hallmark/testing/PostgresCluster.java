package io.hallmark.testing;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own, for tests that stop, restart or fail over the database: initdb into a temporary
 * directory, started with pg_ctl on a free loopback port, removed on close. The shared test PostgreSQL
 * ({@link TestPostgres}) is never touched. As root the binaries run as the {@code postgres} user (initdb refuses root),
 * through {@code runuser}. Missing binaries skip the test with the reason, or fail it under
 * {@code -Dhallmark.peers.required=true} ({@link Peers}).
 */
public final class PostgresCluster implements AutoCloseable {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final List<String> settings;
    private boolean running;

    private PostgresCluster(Path bin, Path dir, int port, List<String> settings) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.settings = settings;
    }

    /**
     * A new primary, started. {@code settings} are {@code name=value} server settings (-c), such as
     * {@code synchronous_standby_names=standby1}. fsync stays on: what a test of lost commits measures must be real.
     */
    public static PostgresCluster primary(String... settings) {
        Path bin = binaries();
        PostgresCluster c = new PostgresCluster(bin, ownedTempDir(), freePort(), List.of(settings));
        c.run(List.of(bin.resolve("initdb").toString(), "-D", c.data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"));
        c.start();
        return c;
    }

    /**
     * A streaming standby of {@code primary}, started: pg_basebackup -R (which writes primary_conninfo and standby.signal).
     * Its cluster_name is {@code name}, which is the application_name its WAL receiver gives the primary, so
     * {@code synchronous_standby_names=name} on the primary makes its commits wait for this standby.
     */
    public static PostgresCluster standbyOf(PostgresCluster primary, String name) {
        PostgresCluster c = new PostgresCluster(primary.bin, ownedTempDir(), freePort(), List.of("cluster_name=" + name));
        c.run(List.of(primary.bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(primary.port), "-U", "postgres",
                "-D", c.data.toString(), "-R", "-X", "stream", "--no-sync"));
        c.start();
        return c;
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of database {@code postgres} on this cluster, user postgres. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** Starts the server and waits until it accepts connections (pg_ctl -w). */
    public void start() {
        List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1"));
        for (String s : settings) {
            options.add("-c");
            options.add(s);
        }
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", String.join(" ", options), "start"));
        running = true;
    }

    /** Stops the server: {@code fast} disconnects clients and shuts down cleanly, {@code immediate} is a crash. */
    public void stop(String mode) {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "-t", "60", "stop"));
        running = false;
    }

    /** pg_ctl restart -m fast: clients are disconnected, the server comes back on the same port. */
    public void restart() {
        stop("fast");
        start();
    }

    /** Promotes a standby to primary and waits until it is (pg_ctl promote -w). */
    public void promote() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "promote"));
    }

    /** The last lines of the server's log, for a failure message. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("server.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            if (running) stop("immediate");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (ROOT) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        Peers.Result r = Peers.run(dir, full);
        if (r.exit() != 0) {
            Assertions.fail(String.join(" ", command) + " failed (" + r.exit() + "): " + r.all() + "\n" + logTail());
        }
    }

    /** The newest /usr/lib/postgresql/N/bin with initdb, or skip/fail as a missing peer. */
    private static Path binaries() {
        Path base = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(base) ? Files.list(base) : Stream.empty()) {
            Path found = versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())))
                    .orElse(null);
            if (found == null) {
                return Peers.file(base.resolve("15/bin/initdb"), "postgresql").getParent();
            }
            if (ROOT) Peers.tool("runuser");
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A directory under /tmp that the postgres user owns (as root) and nobody else can read. */
    private static Path ownedTempDir() {
        try {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "hallmark-pg-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (ROOT) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
