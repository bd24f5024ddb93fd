package io.hallmark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The posture benchmark at a small size: the store it builds is what it says, a second run reuses it. */
class BenchPostureTest {

    @TempDir
    Path dir;

    @Test
    void buildsTheStoreOnceTimesEachReadAndReusesIt() throws Exception {
        String work = dir.resolve("work").toString();
        Cli.Run r = Cli.raw("bench", "posture", "--certificates", "300", "--revoked", "6", "--audit-entries", "400", "--runs", "2",
                "--work", work, "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(300, j.path("devices").path("registered").asLong(), r::toString);
        assertEquals(6, j.path("devices").path("blocked").asLong(), "revoking an IDevID blocks its device");
        assertEquals(30 * 3 - 2, j.path("devices").path("seen").asLong(), 4, "30 % seen, the blocked ones among them not counted");
        assertEquals(6, j.path("byStatus").path("revoked").asLong());
        assertEquals(120, j.path("byKeyStorage").path("secure-element").asLong());
        assertTrue(j.path("auditEntries").asLong() > 400, r::toString);
        for (String timed : new String[]{"reportPostureMs", "inventoryOverviewMs", "wholeChainVerifyMs", "overviewPageMs"}) {
            assertEquals(2, j.path(timed).path("runs").asInt(), timed);
            assertTrue(j.path(timed).path("median").asDouble() > 0, timed + ": " + r);
        }
        Cli.Run again = Cli.raw("bench", "posture", "--certificates", "300", "--revoked", "6", "--runs", "1", "--work", work, "--json");
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.err().contains("reusing the store"), again::toString);
        assertEquals(j.path("devices"), new ObjectMapper().readTree(again.out()).path("devices"), "the same store");
        assertEquals(3, Cli.raw("bench", "posture", "--certificates", "0").exit());
    }
}
