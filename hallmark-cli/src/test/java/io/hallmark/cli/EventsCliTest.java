package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** 'hallmark events' (filters, JSON, bounds), 'events retention' and 'metrics access', as an operator types them. */
class EventsCliTest {

    @TempDir
    Path dir;

    private Cli.Run run(String... args) {
        return Cli.run(dir.resolve("data"), args);
    }

    @Test
    void eventsListFilteredNewestFirstAsTextOrJsonAndRefuseBadFilters() throws Exception {
        assertEquals(0, run("init").exit());
        assertEquals(0, run("issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=pump-1",
                "--out", dir.resolve("pump-1.pem").toString()).exit());
        assertEquals(0, run("issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=pump-2",
                "--out", dir.resolve("pump-2.pem").toString()).exit());

        Cli.Run json = run("events", "--type", "issuance", "--since", "1h", "--json");
        assertEquals(0, json.exit(), json.err());
        JsonNode events = new ObjectMapper().readTree(json.out());
        assertTrue(events.size() >= 2, json.out());
        assertEquals("issuance", events.get(0).get("type").asText());
        assertTrue(events.get(0).get("at").asText().compareTo(events.get(1).get("at").asText()) >= 0, "newest first");

        Cli.Run one = run("events", "--limit", "1", "--json");
        assertEquals(1, new ObjectMapper().readTree(one.out()).size());
        Cli.Run none = run("events", "--device", "nobody", "--json");
        assertEquals(0, new ObjectMapper().readTree(none.out()).size());
        Cli.Run text = run("events", "--type", "issuance");
        assertTrue(text.out().lines().findFirst().orElseThrow().startsWith("TIME"), text.out());
        assertTrue(text.out().contains("ldevid-ca/ldevid"), text.out());

        Cli.Run badType = run("events", "--type", "logins");
        assertEquals(3, badType.exit());
        assertTrue(badType.err().contains("unknown event type 'logins'") && badType.err().contains("auth-failure"), badType.err());
        assertEquals(3, run("events", "--since", "yesterday").exit());
        assertEquals(3, run("events", "--limit", "0").exit());
    }

    @Test
    void retentionAndMetricsAccessAreSharedSettingsWithBounds() {
        assertEquals(0, run("init").exit());
        assertEquals("events retention: 90d", run("events", "retention").out().strip());
        assertEquals("events retention: 30d", run("events", "retention", "30d").out().strip());
        assertEquals("events retention: 30d", run("events", "retention").out().strip());
        Cli.Run tooShort = run("events", "retention", "1h");
        assertEquals(3, tooShort.exit());
        assertTrue(tooShort.err().contains("at least 1d"), tooShort.err());
        assertEquals("events retention: 30d", run("events", "retention").out().strip(), "a refused value changes nothing");

        assertEquals("metrics access: open", run("metrics", "access").out().strip());
        assertEquals("metrics access: token", run("metrics", "access", "token").out().strip());
        assertEquals(3, run("metrics", "access", "public").exit());
        assertEquals("metrics access: token", run("metrics", "access").out().strip());
        Cli.Run audit = run("audit", "list", "--json");
        assertTrue(audit.out().contains("events.retention") && audit.out().contains("metrics.access"), "both changes are audited");
    }
}
