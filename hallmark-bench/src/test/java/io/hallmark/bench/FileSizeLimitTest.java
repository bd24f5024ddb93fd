package io.hallmark.bench;

import io.hallmark.cli.Cli;
import io.hallmark.cli.Installation;
import io.hallmark.core.Hallmark;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.device.DeviceCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A disk that fills up under a SQLite node, as the kernel shows it to one process: a file-size limit (ulimit -f,
 * RLIMIT_FSIZE) a couple of MiB above the database, set on the node's JVM, under mixed load (EST, OCSP, factory
 * batches). Writes beyond it fail with EFBIG (the JVM ignores SIGXFSZ), which SQLite reports as SQLITE_IOERR_WRITE.
 * What must hold: the node keeps running and answers clean 503s with Retry-After (a factory stream already under way
 * ends with an error line), never a wrong answer; every acknowledged certificate is stored, none twice; the audit
 * chain verifies; and once the node runs without the limit, enrollment succeeds again.
 * (SqliteFullTest covers SQLITE_FULL through max_page_count, in process.)
 */
class FileSizeLimitTest {

    /** What an enrollment may meet while the disk refuses writes: a clean 503 with Retry-After. */
    private static final java.util.regex.Pattern CLEAN_EST = java.util.regex.Pattern.compile("http_503");
    /**
     * What a factory batch may meet: a 503, or a stream already under way ended by the 503 line; or the connection
     * closed under a station still uploading its items (the server ends a failed stream without reading the rest of
     * the body, and a client that writes before it reads sees a broken pipe instead of the line).
     */
    private static final java.util.regex.Pattern CLEAN_FACTORY = java.util.regex.Pattern.compile("http_503|stream_error|closed");
    private static final long HEADROOM = 2L << 20;

    @TempDir
    Path dir;

    @Test
    void aNodeAtItsFileSizeLimitAnswers503AndLosesNothing() throws Exception {
        Path data = dir.resolve("data");
        Cli.ok(data, "init");
        Path station = dir.resolve("station");
        Cli.ok(data, "station", "create", "--name", "line-1", "--ca", "idevid-ca", "--profile", "idevid", "--out", station.toString());
        Path idevids = dir.resolve("idevids");
        try (Hallmark hallmark = Installation.open(data, null, () -> Passphrase.resolve(data, false))) {
            for (int i = 1; i <= 4; i++) LoadFixtures.idevid(hallmark, idevids, "FULL-" + i);
        }
        String db = "jdbc:sqlite:" + data.resolve("hallmark.db");
        long size = Files.size(data.resolve("hallmark.db"));
        long blocks = (size + HEADROOM) / 1024; // bash's ulimit -f counts 1024-byte blocks
        List<X509Certificate> cas = LoadFixtures.cas(data);
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        Map<String, Object> report;
        Map<String, Long> errors;
        try (NodeProcess node = NodeProcess.start(data, null, "limited", List.of("bash", "-c", "ulimit -f " + blocks + " && exec \"$@\"", "bash"))) {
            List<LoadTarget> targets = LoadTarget.of(List.of(URI.create(node.https)), List.of(URI.create(node.http)));
            LoadRequests.Factory factory = new LoadRequests.Factory(DeviceCredentials.fromPem(station.resolve("station.pem"), station.resolve("station.key")),
                    "idevid-ca", "idevid", 20);
            try (LoadRequests requests = new LoadRequests(cas, cas, LoadRequests.devices(idevids, cas), factory, Duration.ofSeconds(30))) {
                LoadBenchmark load = new LoadBenchmark(requests, new LoadBenchmark.Settings(targets, LoadMix.parse("est=1,ocsp=2,factory=2"), 4,
                        Duration.ofSeconds(40), 1_000_000), acknowledged::add);
                CompletableFuture<Map<String, Object>> run = CompletableFuture.supplyAsync(() -> {
                    try {
                        return load.run();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                report = run.get(120, TimeUnit.SECONDS);
                errors = load.errors(0);
                System.out.println("file-size limit " + blocks + " KiB (database " + size + " bytes): " + report);
            }
            assertTrue(node.process.isAlive(), "the node died at its file-size limit:\n" + node.output());
            String context = report + "\n" + node.output().lines().filter(l -> !l.contains("INFO")).limit(40).toList();
            assertTrue(errors.getOrDefault("http_503", 0L) > 0, "no write was refused: was the limit reached?\n" + context);
            ((Map<?, ?>) ((Map<?, ?>) report.get("est")).get("errors")).keySet()
                    .forEach(kind -> assertTrue(CLEAN_EST.matcher(kind.toString()).matches(), "est: " + kind + "\n" + context));
            ((Map<?, ?>) ((Map<?, ?>) report.get("factory")).get("errors")).keySet()
                    .forEach(kind -> assertTrue(CLEAN_FACTORY.matcher(kind.toString()).matches(), "factory: " + kind + "\n" + context));
            assertEquals(Map.of(), ((Map<?, ?>) report.get("ocsp")).get("errors"), "OCSP (reads only) failed\n" + context);
            // A factory stream that had started (200 sent) ends with an error line: it must carry the same 503.
            Object streamError = ((Map<?, ?>) ((Map<?, ?>) report.get("factory")).get("first_errors")) instanceof Map<?, ?> first ? first.get("stream_error") : null;
            assertTrue(streamError == null || streamError.toString().contains(" 503 "), "factory stream ended with " + streamError + "\n" + context);
            Map<?, ?> ocsp = (Map<?, ?>) report.get("ocsp");
            assertTrue((Long) ocsp.get("ok") > 0, "OCSP (reads only) should keep answering\n" + context);
            assertFalse(node.output().contains("Exception in thread"), node.output());
        }

        // Every acknowledged certificate is in the store, each once; the chain verifies.
        List<String> serials = List.copyOf(acknowledged);
        assertFalse(serials.isEmpty(), "nothing was acknowledged before the limit");
        assertEquals(serials.size(), new HashSet<>(serials).size(), "a serial acknowledged twice");
        Set<String> stored = LoadFixtures.strings(db, "SELECT serial FROM certificates");
        assertEquals(List.of(), serials.stream().filter(s -> !stored.contains(s)).toList(), "acknowledged but not stored");
        assertEquals(Set.of(), LoadFixtures.strings(db, "SELECT serial FROM device_identities GROUP BY serial HAVING COUNT(*) > 1"));
        Cli.Run audit = Cli.run(data, "audit", "verify");
        assertEquals(0, audit.exit(), audit::toString);

        // Without the limit (space freed), the same installation enrolls again.
        try (NodeProcess node = NodeProcess.start(data, null, "freed")) {
            List<LoadTarget> targets = LoadTarget.of(List.of(URI.create(node.https)), List.of());
            try (LoadRequests requests = new LoadRequests(cas, cas, LoadRequests.devices(idevids, cas), null, Duration.ofSeconds(30))) {
                LoadBenchmark load = new LoadBenchmark(requests, new LoadBenchmark.Settings(targets, LoadMix.parse("est=1"), 1,
                        Duration.ofSeconds(30), 5), s -> { });
                Map<String, Object> after = load.run();
                assertEquals(Map.of(), load.errors(0), after::toString);
                assertEquals(5L, ((Map<?, ?>) after.get("est")).get("ok"), after::toString);
            }
        }
    }
}
