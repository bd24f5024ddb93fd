package io.hallmark.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.server.http.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document and the router cannot drift: every documented path and method is routed, and every /api/v1 route is documented. */
class OpenApiRoutesTest {

    @TempDir
    static Path dir;
    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = ServerFixture.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    @Test
    void documentAndRouterListTheSameRoutes() throws Exception {
        JsonNode doc;
        try (InputStream in = OpenApiRoutesTest.class.getResourceAsStream("/io/hallmark/server/openapi.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        assertEquals("/api/v1", doc.get("servers").get(0).get("url").asText());
        Set<String> documented = new TreeSet<>();
        doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(
                method -> documented.add(method.getKey().toUpperCase(Locale.ROOT) + " /api/v1" + path.getKey())));

        Router router = HallmarkServer.router(f.hallmark, f.server.metrics());
        Set<String> routed = new TreeSet<>(router.routes().stream().filter(r -> r.contains(" /api/v1/")).toList());

        assertTrue(routed.size() > 20, "the router's API routes: " + routed);
        Set<String> undocumented = new TreeSet<>(routed);
        undocumented.removeAll(documented);
        Set<String> unrouted = new TreeSet<>(documented);
        unrouted.removeAll(routed);
        assertEquals(Set.of(), undocumented, "routes missing from openapi.json");
        assertEquals(Set.of(), unrouted, "openapi.json paths no route serves");
    }

    @Test
    void everyOperationDocumentsItsRefusals() throws Exception {
        JsonNode doc;
        try (InputStream in = OpenApiRoutesTest.class.getResourceAsStream("/io/hallmark/server/openapi.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            JsonNode op = method.getValue();
            boolean open = op.has("security") && op.get("security").isEmpty();
            if (!open) assertTrue(op.get("responses").has("401"), method.getKey() + " " + path.getKey() + " documents its 401");
            if (op.has("requestBody") && op.get("requestBody").get("content").has("application/json")) {
                assertTrue(op.get("responses").has("415") && op.get("responses").has("400"), method.getKey() + " " + path.getKey() + " documents 400 and 415");
            }
        }));
    }
}
