package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code hallmark inventory}: streamed JSON, filters, deprecated algorithms, and the exit code of bad input. */
class InventoryCliTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void listsFiltersCountsAndRefusesUnknownValues() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, Cli.run(data, "quickstart", "--no-serve", "--devices", "3").exit());
        JsonNode all = JSON.readTree(Cli.ok(data, "inventory", "--json").out());
        JsonNode certs = JSON.readTree(Cli.ok(data, "cert", "list", "--json").out());
        assertEquals(certs.size(), all.size(), "the inventory lists every certificate");
        JsonNode idevids = JSON.readTree(Cli.ok(data, "inventory", "--ca", "idevid-ca", "--profile", "idevid", "--json").out());
        assertEquals(3, idevids.size(), idevids.toString());
        assertEquals("ec-p256", idevids.get(0).get("algorithm").asText());
        assertEquals("valid", idevids.get(0).get("status").asText());

        assertTrue(Cli.ok(data, "inventory", "deprecate", "ec-p256").out().contains("ec-p256"));
        JsonNode deprecated = JSON.readTree(Cli.ok(data, "inventory", "--deprecated", "--ca", "idevid-ca", "--json").out());
        assertEquals(3, deprecated.size());
        JsonNode overview = JSON.readTree(Cli.ok(data, "inventory", "overview", "--json").out());
        assertEquals(all.size(), overview.get("certificates").asLong());
        assertEquals(3, overview.get("byCa").get("idevid-ca").asLong());
        assertTrue(overview.get("onDeprecatedAlgorithm").asLong() >= 3, overview.toString());

        // Last seen: quickstart enrolled its devices just now; the filters split the fleet by it, and the text listing shows it.
        JsonNode seen = JSON.readTree(Cli.ok(data, "inventory", "--seen-within", "1h", "--json").out());
        JsonNode unseen = JSON.readTree(Cli.ok(data, "inventory", "--not-seen-within", "1h", "--json").out());
        long withDevice = java.util.stream.StreamSupport.stream(all.spliterator(), false).filter(r -> !r.path("device").isNull()).count();
        assertEquals(withDevice, seen.size() + unseen.size(), "every device certificate is in one or the other");
        assertTrue(seen.size() >= 3, seen.toString());
        for (JsonNode r : seen) assertTrue(r.hasNonNull("lastSeen"), r.toString());
        assertTrue(Cli.ok(data, "inventory", "--seen-within", "1h").out().lines().findFirst().orElseThrow().contains("LAST SEEN"));
        assertEquals(3, overview.get("devices").get("seen").asLong(), overview.toString());

        for (String[] bad : new String[][]{{"--status", "alive"}, {"--algorithm", "dsa-512"}, {"--key-storage", "usb"}, {"--ca", "nope"},
                {"--expiring-within", "soon"}, {"--seen-within", "lately"}, {"--not-seen-within", "-3d"}}) {
            Cli.Run r = Cli.run(data, "inventory", bad[0], bad[1]);
            assertEquals(ExitCodes.BAD_INPUT, r.exit(), String.join(" ", bad) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(data, "inventory", "deprecate", "blowfish").exit());
    }
}
