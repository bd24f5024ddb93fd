package io.hallmark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.cli.Cli;
import io.hallmark.cli.ExitCodes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The in-process OCSP benchmark at a small size: what it counts is what the responder did. */
class BenchOcspTest {

    @Test
    void signsOncePerCertificateColdAndOncePerNonceAndNeverForTheCachedPasses() throws Exception {
        Cli.Run r = Cli.raw("bench", "ocsp", "--certs", "20", "--rounds", "3", "--threads", "2", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(20, j.get("certs").asInt());
        assertEquals(2, j.get("threads").asInt());
        assertEquals(40, j.get("signatures").asLong(), r::toString);      // 20 cold + 20 with a nonce
        assertEquals(60, j.get("preProducedHits").asLong(), r::toString); // 3 cached passes over 20
        assertTrue(j.get("coldPerSecond").asDouble() > 0 && j.get("cachedPerSecond").asDouble() > 0
                && j.get("noncePerSecond").asDouble() > 0, r::toString);
    }

    @Test
    void noThreadIsABadInput() {
        // Used to end with "maximumPoolSize must be positive" (exit 1), from the thread pool, after issuing every certificate.
        Cli.Run r = Cli.raw("bench", "ocsp", "--certs", "2", "--threads", "0");
        assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
        assertTrue(r.err().contains("--threads must be positive"), r::toString);
    }
}
