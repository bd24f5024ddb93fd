package io.hallmark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.cli.Cli;
import io.hallmark.cli.EstTestServer;
import io.hallmark.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class BenchEstTest {

    @TempDir
    Path dir;

    @Test
    void benchEnrollsWithEveryIdevidAndReportsRateAndLatency() throws Exception {
        try (EstTestServer server = new EstTestServer(dir.resolve("server"))) {
            Path devices = dir.resolve("devices");
            for (int i = 1; i <= 3; i++) server.idevid(devices, "BENCH-" + i);
            long before = server.hallmark.store().<Long>read(tx -> tx.certificates().count());
            Cli.Run r = Cli.raw("bench", "est", "--server", server.url(), "--ca-cert", server.ca("root").toString(),
                    "--idevid-dir", devices.toString(), "--clients", "2", "--duration", "2", "--json");
            assertEquals(0, r.exit(), r::toString);
            JsonNode j = new ObjectMapper().readTree(r.out());
            long enrollments = j.get("enrollments").asLong();
            assertTrue(enrollments > 0, r::toString);
            assertEquals(0, j.get("errors").asLong(), r::toString);
            assertEquals(3, j.get("devices").asInt());
            assertEquals(2, j.get("clients").asInt());
            assertTrue(j.get("p50Ms").asDouble() > 0 && j.get("p50Ms").asDouble() <= j.get("p99Ms").asDouble(), r::toString);
            assertEquals(enrollments / j.get("seconds").asDouble(), j.get("perSecond").asDouble(), 0.1 + enrollments * 0.01);
            assertTrue(j.get("crypto").asText().startsWith("P-256 signatures by "), r::toString);
            // The default, light client: every enrollment was a full mutual-TLS handshake (the client signed each time).
            assertEquals("socket", j.get("client").asText());
            assertEquals(enrollments, j.get("fullHandshakes").asLong(), r::toString);
            // Every counted enrollment is a certificate the server really issued.
            long after = server.hallmark.store().<Long>read(tx -> tx.certificates().count());
            assertEquals(before + enrollments, after);
        }
    }

    @Test
    void theDevicesOwnClientStillRuns() throws Exception {
        try (EstTestServer server = new EstTestServer(dir.resolve("server"))) {
            Path devices = dir.resolve("devices");
            server.idevid(devices, "BENCH-1");
            long before = server.hallmark.store().<Long>read(tx -> tx.certificates().count());
            Cli.Run r = Cli.raw("bench", "est", "--server", server.url(), "--ca-cert", server.ca("root").toString(),
                    "--idevid-dir", devices.toString(), "--clients", "1", "--duration", "2", "--client", "http-client", "--json");
            assertEquals(0, r.exit(), r::toString);
            JsonNode j = new ObjectMapper().readTree(r.out());
            assertEquals("http-client", j.get("client").asText());
            assertTrue(j.get("enrollments").asLong() > 0, r::toString);
            assertEquals(0, j.get("errors").asLong(), r::toString);
            assertTrue(j.get("fullHandshakes").isNull(), r::toString); // not counted: the device's key manager does not count
            assertEquals(before + j.get("enrollments").asLong(), server.hallmark.store().<Long>read(tx -> tx.certificates().count()));
        }
    }

    @Test
    void anUnknownClientIsBadInput() throws Exception {
        try (EstTestServer server = new EstTestServer(dir.resolve("server"))) {
            Path devices = dir.resolve("devices");
            server.idevid(devices, "BENCH-1");
            Cli.Run r = Cli.raw("bench", "est", "--server", server.url(), "--ca-cert", server.ca("root").toString(),
                    "--idevid-dir", devices.toString(), "--client", "curl", "--duration", "1");
            assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
            assertTrue(r.err().contains("--client must be socket or http-client"), r::toString);
        }
    }

    @Test
    void anEmptyDirectoryIsNotFound() throws Exception {
        try (EstTestServer server = new EstTestServer(dir.resolve("server"))) {
            Cli.Run r = Cli.raw("bench", "est", "--server", server.url(), "--ca-cert", server.ca("root").toString(),
                    "--idevid-dir", dir.toString(), "--clients", "1", "--duration", "1");
            assertEquals(ExitCodes.NOT_FOUND, r.exit(), r::toString);
            assertTrue(r.err().contains("no IDevIDs in"), r::toString);
        }
    }
}
