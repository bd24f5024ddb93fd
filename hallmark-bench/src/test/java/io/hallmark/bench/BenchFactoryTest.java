package io.hallmark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.cli.Cli;
import io.hallmark.cli.ExitCodes;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The factory benchmark end to end at a small size: its own run, the warm-up, and every peer it compares with. */
class BenchFactoryTest {

    @TempDir
    Path dir;

    @Test
    void measuresHallmarkAfterAWarmUpAndEveryPeerOnTheSameCsrs() throws Exception {
        Peers.tool("openssl");
        Peers.tool("cfssl");
        Path work = dir.resolve("work");
        Cli.Run r = Cli.raw("bench", "factory", "--count", "300", "--warmup", "100", "--peer-count", "40", "--work", work.toString(), "--keep", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(300, j.get("count").asInt());
        assertEquals(100, j.get("warmup").asInt());
        assertTrue(j.get("issuedPerSecond").asDouble() > 0 && j.get("cpuMicrosPerIssue").asDouble() > 0, r::toString);
        assertTrue(j.get("provider").asText().startsWith("P-256 signatures by "), r::toString);

        // The warm-up went to its own store: the measured one holds exactly the measured certificates (the bench checks
        // that too, and fails otherwise), and its manifest has one row per device.
        assertTrue(Files.isDirectory(work.resolve("warmup-data")), "warm-up store");
        assertEquals(1 + 300, Files.readAllLines(work.resolve("out/manifest.csv")).size());
        assertEquals(1 + 100, Files.readAllLines(work.resolve("warmup-out/manifest.csv")).size());

        JsonNode peers = j.get("peers");
        assertEquals(40, peers.get("opensslCa").get("count").asInt(), r::toString);
        assertEquals(40, peers.get("cfssl").get("count").asInt(), r::toString);
        assertTrue(peers.get("cfssl").get("note").asText().startsWith("4 keep-alive connections"), r::toString);
        // The bench checks every cfssl answer; the first is kept to look at.
        JsonNode first = new ObjectMapper().readTree(work.resolve("peers/cfssl/first-response.json").toFile());
        assertTrue(first.get("success").asBoolean());
        assertTrue(first.get("result").get("certificate").asText().startsWith("-----BEGIN CERTIFICATE"));
        JsonNode speed = peers.get("opensslSpeedEcdsaP256");
        double limit = 1 / (1 / speed.get("signPerSecond").asDouble() + 1 / speed.get("verifyPerSecond").asDouble());
        assertEquals(limit, speed.get("cryptoLimitPerSecond").asDouble(), limit * 1e-9);
        assertEquals(j.get("issuedPerSecond").asDouble() / peers.get("cfssl").get("perSecond").asDouble(),
                j.get("ratios").get("vsCfssl").asDouble(), 0.02);
    }

    @Test
    void handsThePeersTheCaKeyWhenThePassphraseComesFromTheEnvironment() throws Exception {
        Peers.tool("openssl");
        Path work = dir.resolve("work");
        // A child process: the environment of this one cannot be changed.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.hallmark.cli.Main", "bench", "factory", "--count", "20", "--peer-count", "10", "--bundles", "none",
                "--work", work.toString(), "--keep", "--json")
                .redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put(io.hallmark.core.vault.Passphrase.ENV, "a passphrase from a secret store");
        pb.environment().remove(io.hallmark.core.vault.Passphrase.FILE_ENV);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertEquals(0, p.exitValue(), () -> out + err);
        JsonNode peers = new ObjectMapper().readTree(out).get("peers");
        assertEquals(10, peers.get("opensslCa").get("count").asInt(), out);
        try (var data = Files.list(work)) {
            assertTrue(data.filter(d -> d.getFileName().toString().startsWith("data-"))
                    .noneMatch(d -> Files.exists(d.resolve("vault.pass"))), "the passphrase came from the environment, not a file");
        }
    }

    @Test
    void measuresOnPostgresqlInAFreshSchemaWhenGivenDbAndDropsIt() throws Exception {
        // The global --db reaches the bench (a command of another module) as it reaches every command.
        try (io.hallmark.testing.TestPostgres db = io.hallmark.testing.TestPostgres.create()) {
            Cli.Run r = Cli.raw("--db", db.url(), "bench", "factory", "--count", "20", "--no-peers", "--bundles", "none",
                    "--work", dir.toString(), "--json");
            assertEquals(0, r.exit(), r::toString);
            JsonNode j = new ObjectMapper().readTree(r.out());
            assertEquals("postgresql", j.get("db").asText(), r::toString);
            String schema = j.get("store").asText().replaceAll(".*currentSchema=", "");
            assertTrue(schema.startsWith("hallmark_bench_"), r::toString);
            try (var c = java.sql.DriverManager.getConnection(db.url());
                 var rs = c.createStatement().executeQuery("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + schema + "'")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "the bench's schema is dropped afterwards");
            }
        }
    }

    @Test
    void noPeerCsrsIsRefusedBeforeAnythingIsMeasured() {
        // Used to measure Hallmark, run openssl ca on nothing and then fail with "Index 0 out of bounds for length 0" (exit 1).
        Cli.Run r = Cli.raw("bench", "factory", "--count", "5", "--peer-count", "0", "--work", dir.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
        assertTrue(r.err().contains("--peer-count must be positive"), r::toString);
        assertFalse(r.err().contains("bench: generating"), r::toString);
    }

    @Test
    void noCfsslClientIsRefusedBeforeAnythingIsMeasured() {
        // Used to fail after the whole run with 'argument "content" is null' (exit 1): no client had sent a request.
        Cli.Run r = Cli.raw("bench", "factory", "--count", "5", "--cfssl-clients", "0", "--work", dir.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
        assertTrue(r.err().contains("--cfssl-clients must be positive"), r::toString);
        assertFalse(r.err().contains("bench: generating"), r::toString);
    }

    @Test
    void aNegativeWarmUpIsAUsageError() {
        Cli.Run r = Cli.raw("bench", "factory", "--count", "10", "--warmup", "-1", "--no-peers", "--work", dir.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
        assertTrue(r.err().contains("--warmup must not be negative"), r::toString);
    }
}
