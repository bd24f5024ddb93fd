package io.hallmark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.cli.Cli;
import io.hallmark.cli.ExitCodes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The wire-format benchmark at a small size: both formats, every step timed, bytes per item counted. */
class BenchWireTest {

    @Test
    void measuresBothFormats() throws Exception {
        Cli.Run r = Cli.raw("bench", "wire", "--items", "50", "--rounds", "2", "--warmup", "1", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(50, j.get("items").asInt());
        assertEquals(2, j.get("formats").size(), r::toString);
        assertEquals("ndjson", j.get("formats").get(0).get("format").asText(), r::toString);
        assertEquals("frames", j.get("formats").get(1).get("format").asText(), r::toString);
        for (JsonNode f : j.get("formats")) {
            assertTrue(f.get("totalUs").asDouble() > 0, r::toString);
            // A request carries at least the CSR, a response at least the certificate.
            assertTrue(f.get("requestBytes").asDouble() > j.get("csrBytes").asDouble(), r::toString);
            assertTrue(f.get("responseBytes").asDouble() > j.get("certificateBytes").asDouble(), r::toString);
        }
        // Frames carry DER where NDJSON carries base64 and PEM.
        assertTrue(j.get("formats").get(1).get("requestBytes").asDouble() < j.get("formats").get(0).get("requestBytes").asDouble(), r::toString);
    }

    @Test
    void noItemsIsABadInput() {
        Cli.Run r = Cli.raw("bench", "wire", "--items", "0");
        assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
        assertTrue(r.err().contains("--items and --rounds must be positive"), r::toString);
    }
}
