package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Help that lists what a command takes and nothing it ignores; listings that say when they were cut; one JSON style. */
class HelpAndListingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void certHelpListsVerify() {
        Cli.Run help = Cli.raw("cert", "--help");
        assertEquals(0, help.exit(), help::toString);
        assertTrue(help.out().lines().anyMatch(l -> l.strip().startsWith("verify ")), help::toString);
    }

    @Test
    void theDeviceAgentNeitherListsNorTakesTheInstallationOptions() {
        for (String command : List.of("enroll", "reenroll")) {
            Cli.Run help = Cli.raw("device", command, "--help");
            assertEquals(0, help.exit(), help::toString);
            assertFalse(help.out().contains("--data") || help.out().contains("--db"), help::toString);
        }
        Cli.Run given = Cli.raw("device", "enroll", "--data", dir.toString(), "--server", "https://127.0.0.1:1", "--ca-cert", "x",
                "--state", dir.resolve("s").toString(), "--idevid-cert", "a", "--idevid-key", "b");
        assertEquals(ExitCodes.USAGE, given.exit(), given::toString);
        assertTrue(given.err().contains("--data"), given::toString);
        // The rest of the command line keeps them, before or after the subcommand.
        assertTrue(Cli.raw("cert", "list", "--help").out().contains("--data"));
    }

    @Test
    void aCutListingSaysSoOnStderrAndKeepsItsOutputClean() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, Cli.run(data, "quickstart", "--no-serve", "--devices", "3").exit());
        int total = JSON.readTree(Cli.run(data, "cert", "list", "--json").out()).size();
        assertTrue(total >= 3, "certificates: " + total);

        Cli.Run cut = Cli.run(data, "cert", "list", "--limit", Integer.toString(total - 1), "--json");
        assertEquals(0, cut.exit(), cut::toString);
        assertEquals(total - 1, JSON.readTree(cut.out()).size(), cut::toString);
        assertTrue(cut.err().contains("showing the first " + (total - 1) + "; there are more: use --limit N"), cut::toString);

        Cli.Run whole = Cli.run(data, "cert", "list", "--limit", Integer.toString(total));
        assertEquals("", whole.err(), whole::toString);

        Cli.Run audit = Cli.run(data, "audit", "list", "--limit", "1");
        assertTrue(audit.err().contains("showing the latest 1 of "), audit::toString);
    }

    @Test
    void factoryProgressAndSummaryJsonAreBothCamelCase() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, Cli.run(data, "init").exit());
        Cli.Run run = Cli.run(data, "factory", "run", "--simulate", "3", "--bundles", "none", "--out", dir.resolve("out").toString(), "--json");
        assertEquals(0, run.exit(), run::toString);
        List<JsonNode> documents = new ArrayList<>();
        documents.add(JSON.readTree(run.out()));
        for (String line : run.err().lines().toList()) documents.add(JSON.readTree(line));
        assertTrue(documents.size() >= 2, run::toString);
        JsonNode last = documents.getLast();
        assertTrue(last.has("perSecond") && last.has("elapsedSeconds") && last.get("final").asBoolean(), run::toString);
        for (JsonNode d : documents) {
            d.fieldNames().forEachRemaining(name -> assertTrue(name.matches("[a-z][A-Za-z0-9]*"), "not camelCase: " + name + " in " + d));
        }
    }
}
