package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.hallmark.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's side of the operations the API gained: factory batches and their progress (offline, on the store),
 * station disable/enable/quota and EST label removal, with their one-line errors and exit codes.
 */
class OperationsCliTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aFactoryRunIsListedAndShownWithItsProgress() throws Exception {
        Path data = dir.resolve("data");
        ok(data, "init");
        Cli.Run run = ok(data, "factory", "run", "--simulate", "5", "--chunk", "2", "--no-bundles", "--out", dir.resolve("out").toString());
        Matcher m = Pattern.compile("batch ([0-9a-f]{24})").matcher(run.err());
        assertTrue(m.find(), run::toString);
        String id = m.group(1);

        JsonNode list = JSON.readTree(ok(data, "factory", "batches", "--json").out());
        assertEquals(1, list.size());
        assertEquals(id, list.get(0).get("id").asText());
        JsonNode one = JSON.readTree(ok(data, "factory", "batch", id, "--json").out());
        assertEquals("done", one.get("state").asText());
        assertEquals(5, one.get("done").asLong());
        assertEquals(5, one.get("declared").asLong());
        assertEquals(3, one.get("chunks").asLong());
        assertEquals("idevid-ca", one.get("ca").asText());
        assertTrue(ok(data, "factory", "batches").out().contains(id + "  done"), "the table names it with its state");

        Cli.Run unknown = Cli.run(data, "factory", "batch", "0".repeat(24));
        assertEquals(ExitCodes.NOT_FOUND, unknown.exit(), unknown::toString);
        Cli.Run malformed = Cli.run(data, "factory", "batch", "nope");
        assertEquals(ExitCodes.BAD_INPUT, malformed.exit(), malformed::toString);
        assertEquals(1, malformed.err().lines().count(), malformed::toString);
    }

    @Test
    void aStationIsDisabledEnabledAndGivenAQuotaAndALabelRemoved() throws Exception {
        Path data = dir.resolve("data");
        ok(data, "init");
        ok(data, "station", "create", "--name", "line-7", "--ca", "idevid-ca", "--profile", "idevid", "--quota", "2",
                "--out", dir.resolve("station").toString());

        assertTrue(ok(data, "station", "disable", "line-7").out().contains("disabled since"));
        Cli.Run refused = Cli.run(data, "factory", "run", "--station", "line-7", "--ca", "idevid-ca", "--profile", "idevid",
                "--simulate", "1", "--no-bundles", "--out", dir.resolve("o1").toString());
        assertEquals(ExitCodes.FORBIDDEN, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("is disabled"), refused::toString);
        JsonNode enabled = JSON.readTree(ok(data, "station", "enable", "line-7", "--json").out());
        assertTrue(enabled.get("disabledAt").isNull(), enabled::toString);

        assertEquals(5, JSON.readTree(ok(data, "station", "quota", "line-7", "--set", "5", "--json").out()).get("quota").asLong());
        assertTrue(JSON.readTree(ok(data, "station", "quota", "line-7", "--unlimited", "--json").out()).get("quota").isNull());
        Cli.Run negative = Cli.run(data, "station", "quota", "line-7", "--set", "-1");
        assertEquals(ExitCodes.BAD_INPUT, negative.exit(), negative::toString);
        Cli.Run nobody = Cli.run(data, "station", "disable", "line-99");
        assertEquals(ExitCodes.NOT_FOUND, nobody.exit(), nobody::toString);

        ok(data, "est", "label", "set", "--name", "fleet");
        assertTrue(ok(data, "est", "label", "delete", "--name", "fleet").out().contains("removed"));
        assertTrue(!ok(data, "est", "label", "list").out().contains("fleet"));
        Cli.Run again = Cli.run(data, "est", "label", "delete", "--name", "fleet");
        assertEquals(ExitCodes.NOT_FOUND, again.exit(), again::toString);
        String audit = ok(data, "audit", "list", "--limit", "20").out();
        for (String action : new String[]{"station.disable", "station.enable", "station.quota", "config.remove"}) {
            assertTrue(audit.contains(action), action + " audited: " + audit);
        }
    }
}
