package io.hallmark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.cli.Cli;
import io.hallmark.cli.EstTestServer;
import io.hallmark.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class BenchLoadTest {

    @TempDir
    Path dir;

    @Test
    void mixedLoadOnOneServerReportsEveryOperationAndEveryCertificateIsStored() throws Exception {
        try (EstTestServer server = new EstTestServer(dir.resolve("server"))) {
            Path devices = dir.resolve("devices");
            for (int i = 1; i <= 3; i++) server.idevid(devices, "LOAD-" + i);
            Cli.ok(server.data(), "station", "create", "--name", "line-1", "--ca", "idevid-ca", "--profile", "idevid", "--out", dir.resolve("station").toString());
            Set<String> before = allSerials(server);
            Path acknowledged = dir.resolve("ack.txt");
            Cli.Run r = Cli.raw("bench", "load", "--target", server.url(), "--mix", "est=1,ocsp=2,factory=1", "--max-requests", "24", "--duration", "300", "--timeout", "60", "--clients", "3",
                    "--ca-dir", server.data().toString(), "--idevid-dir", devices.toString(), "--station", dir.resolve("station").toString(),
                    "--factory-chunk", "5", "--acknowledged", acknowledged.toString(), "--json");
            assertEquals(0, r.exit(), r::toString);
            JsonNode j = new ObjectMapper().readTree(r.out());
            for (String op : List.of("est", "ocsp", "factory")) {
                JsonNode o = j.get(op);
                assertNotNull(o, r::toString);
                assertEquals(Set.of("ok", "errors", "per_second", "p50_ms", "p99_ms", "p999_ms"),
                        fieldsAmong(o, Set.of("ok", "errors", "per_second", "p50_ms", "p99_ms", "p999_ms")), r::toString);
                assertTrue(o.get("ok").asLong() > 0, r::toString);
                assertTrue(o.get("errors").isObject() && o.get("errors").isEmpty(), r::toString);
                assertTrue(o.get("p50_ms").asDouble() > 0 && o.get("p50_ms").asDouble() <= o.get("p99_ms").asDouble()
                        && o.get("p99_ms").asDouble() <= o.get("p999_ms").asDouble(), r::toString);
                assertEquals(o.get("ok").asDouble() / j.get("run").get("seconds").asDouble(), o.get("per_second").asDouble(), 0.1 + o.get("ok").asLong() * 0.01);
            }
            // Bounded by --max-requests (the machine may be slow, the count is exact), the weights kept: 6 + 12 + 6.
            long est = j.get("est").get("ok").asLong(), ocsp = j.get("ocsp").get("ok").asLong(), factory = j.get("factory").get("ok").asLong();
            assertEquals(List.of(6L, 12L, 6L), List.of(est, ocsp, factory), r::toString);
            assertEquals(24, j.get("run").get("requests").asLong(), r::toString);
            assertEquals(factory * 5, j.get("factory").get("certificates").asLong(), r::toString);

            // Every acknowledged serial is one the server stored, each once, and nothing else was issued.
            List<String> serials = Files.readAllLines(acknowledged);
            assertEquals(est + factory * 5, serials.size());
            assertEquals(serials.size(), new HashSet<>(serials).size(), "a serial acknowledged twice");
            assertEquals(j.get("run").get("acknowledged").asLong(), serials.size());
            for (String serial : serials) {
                assertTrue(server.hallmark.store().read(tx -> tx.certificates().find(new BigInteger(serial, 16).toString(16))).isPresent(),
                        "not in the store: " + serial);
            }
            // Besides them, the store gained only the OCSP responder's own certificate (made at the first OCSP request).
            Set<String> added = allSerials(server);
            added.removeAll(before);
            serials.forEach(added::remove);
            for (String other : added) {
                var c = server.hallmark.store().read(tx -> tx.certificates().find(other)).orElseThrow();
                assertTrue(c.profile().contains("ocsp"), "issued but not acknowledged: " + c);
            }
            assertTrue(added.size() <= 1, added::toString);
        }
    }

    @Test
    void theHumanTableNamesEachOperation() throws Exception {
        try (EstTestServer server = new EstTestServer(dir.resolve("server"))) {
            Path devices = dir.resolve("devices");
            server.idevid(devices, "LOAD-1");
            Cli.Run r = Cli.raw("bench", "load", "--target", server.url(), "--mix", "est=1,ocsp=1", "--max-requests", "6", "--duration", "300", "--timeout", "60",
                    "--ca-dir", server.data().toString(), "--idevid-dir", devices.toString());
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().contains("bench load: 6 requests"), r::toString);
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("est ")) && r.out().lines().anyMatch(l -> l.startsWith("ocsp ")), r::toString);
            assertFalse(r.out().lines().anyMatch(l -> l.startsWith("factory ")), r::toString);
        }
    }

    @Test
    void aTargetOffThisMachineIsAUsageError() {
        for (String target : List.of("https://192.0.2.10:8443", "https://example.com:8443", "https://[2001:db8::1]:8443")) {
            Cli.Run r = Cli.raw("bench", "load", "--target", "https://127.0.0.1:8443", "--target", target, "--duration", "1");
            assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
            assertEquals(1, r.err().strip().lines().count(), r::toString);
            assertTrue(r.err().contains("not on this machine"), r::toString);
        }
        assertTrue(LoadTarget.loopback("127.0.0.2") && LoadTarget.loopback("[::1]") && LoadTarget.loopback("localhost"));
    }

    @Test
    void theMixChoosesOperationsByWeight() {
        LoadMix mix = LoadMix.parse("est=1,ocsp=8,factory=1");
        long[] counts = new long[3];
        for (int n = 0; n < 1000; n++) counts[mix.pick(n).ordinal()]++;
        assertArrayEquals(new long[]{100, 800, 100}, counts);
        Cli.Run bad = Cli.raw("bench", "load", "--target", "https://127.0.0.1:1", "--mix", "est=0");
        assertEquals(ExitCodes.BAD_INPUT, bad.exit(), bad::toString);
    }

    private static Set<String> allSerials(EstTestServer server) {
        Set<String> out = new HashSet<>();
        server.hallmark.store().read(tx -> {
            tx.certificates().scan(null, c -> out.add(c.serial()));
            return null;
        });
        return out;
    }

    private static Set<String> fieldsAmong(JsonNode o, Set<String> wanted) {
        Set<String> seen = new HashSet<>();
        o.fieldNames().forEachRemaining(f -> {
            if (wanted.contains(f)) seen.add(f);
        });
        return seen;
    }
}
