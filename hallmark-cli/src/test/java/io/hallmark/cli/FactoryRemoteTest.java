package io.hallmark.cli;

import io.hallmark.store.JdbcStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hallmark factory run --server}: the batch streamed to a real server (a child JVM, as in
 * production), and the crash acceptance of issue #5: the server killed with SIGKILL mid-batch, restarted,
 * the same command run again.
 */
class FactoryRemoteTest {

    private static final Pattern LISTENING = Pattern.compile("listening on https://[^:]+:(\\d+)");

    @TempDir
    Path dir;

    private Process server;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private Path setUp() {
        assertEquals(0, Main.run("--data", data().toString(), "init"));
        Path station = dir.resolve("station");
        assertEquals(0, Main.run("--data", data().toString(), "station", "create", "--name", "line-1", "--ca", "idevid-ca",
                "--profile", "idevid", "--out", station.toString()));
        return station;
    }

    /** Starts {@code hallmark serve} on free ports in a child JVM; returns the HTTPS port. */
    private int startServer() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--data", data().toString(), "serve", "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        Thread.ofPlatform().daemon().start(() -> drain(out)); // keep the pipe from filling
                        return Integer.parseInt(m.group(1));
                    }
                }
                throw new IllegalStateException("server exited before listening");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return port.get(60, TimeUnit.SECONDS);
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // discard
            }
        } catch (java.io.IOException ignored) {
            // the server was killed
        }
    }

    private List<String> command(int port, Path station, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("--data", data().toString(), "factory", "run", "--server", "https://127.0.0.1:" + port,
                "--station-cert", station.resolve("station.pem").toString(), "--station-key", station.resolve("station.key").toString(),
                "--ca-cert", data().resolve("ca").resolve("root.pem").toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        return args;
    }

    /** Both wire formats, each end to end: bundles verified by openssl, a rerun all existing, zip bundles. */
    @ParameterizedTest
    @ValueSource(strings = {"frames", "ndjson"})
    void remoteBatchVerifiesAndARerunIsAllExisting(String wire) throws Exception {
        FactoryCliTest.requireOpenssl();
        Path station = setUp();
        int port = startServer();
        Path out = dir.resolve("out");
        Cli.Run first = Cli.raw(command(port, station, out, "--wire", wire, "--simulate", "300").toArray(String[]::new));
        assertEquals(0, first.exit(), first.toString());
        assertTrue(first.out().contains("300 new"), first.toString());
        // The server recorded the station's batch under the name its answer gave, with the size the run declared.
        Matcher named = Pattern.compile("batch ([0-9a-f]{24})").matcher(first.err());
        assertTrue(named.find(), first.toString());
        com.fasterxml.jackson.databind.JsonNode batch = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Cli.run(data(), "factory", "batch", named.group(1), "--json").out());
        assertEquals("done", batch.get("state").asText(), batch::toString);
        assertEquals(300, batch.get("declared").asLong());
        assertEquals(300, batch.get("issued").asLong());
        assertEquals("line-1", batch.get("station").asText());
        Map<String, List<String>> rows = FactoryCliTest.manifest(out);
        assertEquals(300, rows.size());
        rows.values().forEach(r -> assertEquals("issued", r.get(1), r.toString()));

        // Every bundle is certificate + chain, accepted strictly by openssl against the root.
        List<String> verify = new ArrayList<>(List.of("openssl", "verify", "-x509_strict", "-CAfile", data().resolve("ca").resolve("root.pem").toString(),
                "-untrusted", out.resolve("chain.pem").toString()));
        try (Stream<Path> files = Files.walk(out.resolve("devices"))) {
            files.filter(f -> f.toString().endsWith(".pem")).forEach(f -> verify.add(f.toString()));
        }
        assertEquals(300 + 7, verify.size()); // openssl verify -x509_strict -CAfile ROOT -untrusted CHAIN + 300 bundles
        Process p = new ProcessBuilder(verify).redirectErrorStream(true).start();
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), report);
        assertEquals(300, report.lines().filter(l -> l.endsWith(": OK")).count(), report);

        // The same command again: the same keys go out (the seed is in --out), every device comes back existing, same serial.
        Cli.Run again = Cli.raw(command(port, station, out, "--wire", wire, "--simulate", "300").toArray(String[]::new));
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.out().contains("0 new, 300 already issued"), again.toString());
        Map<String, List<String>> rerun = FactoryCliTest.manifest(out);
        assertEquals(300, rerun.size());
        rows.forEach((device, r) -> {
            assertEquals("existing", rerun.get(device).get(1));
            assertEquals(r.get(2), rerun.get(device).get(2), "same certificate for " + device);
        });
        try (Connection c = sqlite()) {
            assertEquals(300, count(c, "SELECT COUNT(*) FROM certificates WHERE profile = 'idevid'"), "no new certificates on the rerun");
        }

        // Zip bundles over the wire: one archive per 1000 items, however the server's chunks arrive.
        Path zipped = dir.resolve("zipped");
        Cli.Run zip = Cli.raw(command(port, station, zipped, "--wire", wire, "--simulate", "1200", "--bundles", "zip").toArray(String[]::new));
        assertEquals(0, zip.exit(), zip.toString());
        try (Stream<Path> archives = Files.list(zipped.resolve("bundles"))) {
            assertEquals(List.of("items-000000000.zip", "items-000001000.zip"), archives.map(f -> f.getFileName().toString()).sorted().toList());
        }
        try (var archive = new java.util.zip.ZipFile(zipped.resolve("bundles/items-000001000.zip").toFile())) {
            assertEquals(400, archive.size()); // items 1000-1199, certificate and key each
        }
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void aWrongServerRootIsRefusedBeforeAnythingIsSent() throws Exception {
        Path station = setUp();
        int port = startServer();
        // The station's own certificate is no anchor for the server's TLS certificate.
        List<String> args = command(port, station, dir.resolve("out"), "--simulate", "5");
        args.set(args.indexOf("--ca-cert") + 1, station.resolve("station.pem").toString());
        Cli.Run run = Cli.raw(args.toArray(String[]::new));
        assertEquals(ExitCodes.FAILED, run.exit(), run.toString());
        assertTrue(run.err().contains("cannot reach"), run.toString());
    }

    @Test
    void anUnknownWireOrAWireWithoutServerIsRefused() {
        Path station = dir.resolve("station"); // refused before anything is read or sent
        Cli.Run unknown = Cli.raw(command(1, station, dir.resolve("out"), "--wire", "cbor", "--simulate", "5").toArray(String[]::new));
        assertEquals(ExitCodes.BAD_INPUT, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("--wire must be frames or ndjson"), unknown.toString());
        Cli.Run local = Cli.raw("--data", data().toString(), "factory", "run", "--wire", "frames", "--simulate", "5", "--out", dir.resolve("local").toString());
        assertEquals(ExitCodes.BAD_INPUT, local.exit(), local.toString());
        assertTrue(local.err().contains("--wire go with --server"), local.toString());
    }

    private static final int DEVICES = 20_000;

    @Test
    void serverKilledMidBatchThenRestartedAndRerunLeavesNoGapsAndNoDuplicates() throws Exception {
        Path station = setUp();
        int port = startServer();
        Path out = dir.resolve("out");
        String[] args = command(port, station, out, "--simulate", Integer.toString(DEVICES), "--no-bundles").toArray(String[]::new);
        CompletableFuture<Cli.Run> batch = CompletableFuture.supplyAsync(() -> Cli.raw(args));

        // Kill at a random point once some results have arrived.
        long killAt = ThreadLocalRandom.current().nextLong(DEVICES / 10, DEVICES / 2);
        Path manifest = out.resolve("manifest.csv");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (rows(manifest).size() < killAt) {
            assertTrue(!batch.isDone(), "the batch ended before the kill: " + (batch.isDone() ? batch.get() : ""));
            assertTrue(System.nanoTime() < deadline, "no progress");
            Thread.sleep(10);
        }
        server.destroyForcibly(); // SIGKILL
        assertTrue(server.waitFor(10, TimeUnit.SECONDS));
        Cli.Run cut = batch.get(60, TimeUnit.SECONDS);
        assertEquals(ExitCodes.FAILED, cut.exit(), cut.toString());
        String reason = cut.err().lines().filter(l -> l.startsWith("hallmark: ")).findFirst().orElseThrow();
        Map<String, String> beforeKill = rows(manifest);
        assertTrue(reason.contains("batch interrupted after " + beforeKill.size() + " results"), reason + " vs " + beforeKill.size() + " rows");
        assertTrue(beforeKill.size() >= killAt && beforeKill.size() < DEVICES, beforeKill.size() + " results before the kill");

        int restarted = startServer();
        Cli.Run rerun = Cli.raw(command(restarted, station, out, "--simulate", Integer.toString(DEVICES), "--no-bundles").toArray(String[]::new));
        assertEquals(0, rerun.exit(), rerun.toString());
        Map<String, String> after = rows(manifest);
        assertEquals(DEVICES, after.size());
        beforeKill.forEach((device, serial) -> assertEquals(serial, after.get(device), "written before the kill, changed after: " + device));
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        try (Connection c = sqlite()) {
            assertEquals(DEVICES, count(c, "SELECT COUNT(*) FROM certificates WHERE profile = 'idevid'"));
            assertEquals(DEVICES, count(c, "SELECT COUNT(DISTINCT device_id) FROM certificates WHERE profile = 'idevid'"));
            assertEquals(DEVICES, count(c, "SELECT COUNT(*) FROM device_identities WHERE profile = 'idevid'"));
        }
        assertEquals(0, Main.run("--data", data().toString(), "audit", "verify"));
    }

    /** The unanswered items are kept encoded (a line or a frame) and resent as they are: both formats. */
    @ParameterizedTest
    @ValueSource(strings = {"frames", "ndjson"})
    void retryResendsTheUnansweredItemsAfterTheServerComesBack(String wire) throws Exception {
        Path station = setUp();
        int port = startServer();
        Path out = dir.resolve("out");
        int devices = 6000;
        String[] args = command(port, station, out, "--wire", wire, "--simulate", Integer.toString(devices), "--no-bundles", "--retry", "8")
                .toArray(String[]::new);
        CompletableFuture<Cli.Run> batch = CompletableFuture.supplyAsync(() -> Cli.raw(args));
        Path manifest = out.resolve("manifest.csv");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (rows(manifest).size() < devices / 5) {
            assertTrue(!batch.isDone() && System.nanoTime() < deadline, "no chance to kill");
            Thread.sleep(10);
        }
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        // Same port, so the retrying client finds it again.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--data", data().toString(), "serve", "--listen", "127.0.0.1:" + port, "--http-listen", "127.0.0.1:0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("server2.log").toFile()).start();
        Cli.Run run = batch.get(120, TimeUnit.SECONDS);
        assertEquals(0, run.exit(), run + Files.readString(dir.resolve("server2.log")));
        assertTrue(run.err().contains("retry 1 of 8"), run.toString());
        assertEquals(devices, rows(manifest).size());
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try (Connection c = sqlite()) {
            assertEquals(devices, count(c, "SELECT COUNT(*) FROM certificates WHERE profile = 'idevid'"));
            assertEquals(devices, count(c, "SELECT COUNT(DISTINCT device_id) FROM certificates WHERE profile = 'idevid'"));
        }
    }

    private Connection sqlite() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + data().resolve(JdbcStore.SQLITE_FILE));
    }

    /** deviceSerial -> certificate serial, for complete ok rows (the last line may be cut mid-write). */
    private static Map<String, String> rows(Path manifest) throws Exception {
        Map<String, String> rows = new HashMap<>();
        if (!Files.exists(manifest)) return rows;
        List<String> lines = Files.readAllLines(manifest);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] c = line.split(",", -1);
            if (c.length == 8 && (c[1].equals("issued") || c[1].equals("existing")) && c[2].length() > 8) rows.put(c[0], c[2]);
        }
        return rows;
    }

    private static long count(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
