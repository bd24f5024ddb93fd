package io.hallmark.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.hallmark.core.principal.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static io.hallmark.server.ApiClient.json;
import static org.junit.jupiter.api.Assertions.*;

/** /api/v1/policies: readers list, admins set and remove (audited as the caller), refusals store nothing. */
class PolicyApiTest {

    @TempDir
    static Path dir;
    static ServerFixture f;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        f = ServerFixture.start(dir);
        api = new ApiClient(f);
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private static final String BODY = "{\"label\":\"\",\"toCa\":\"ldevid-ca\",\"toAlgorithm\":\"ed25519\",\"grace\":\"7d\"}";

    @Test
    void adminsSetAndRemoveReadersList() throws Exception {
        for (Role role : Role.values()) {
            HttpResponse<String> list = api.call("GET", "/policies", role, null);
            assertEquals(role.may(Role.Permission.READ) ? 200 : 403, list.statusCode(), role + ": " + list.body());
            if (role != Role.ADMIN) {
                assertEquals(403, api.call("POST", "/policies", role, BODY).statusCode(), role.name());
                assertEquals(403, api.call("DELETE", "/policies/1", role, null).statusCode(), role.name());
            }
        }
        assertEquals(401, api.call("POST", "/policies", null, BODY).statusCode());
        assertEquals(0, f.hallmark.migrations().active().size(), "no refusal set a policy");

        HttpResponse<String> set = api.call("POST", "/policies", Role.ADMIN, BODY);
        assertEquals(201, set.statusCode(), set.body());
        JsonNode p = json(set);
        long id = p.get("id").asLong();
        assertEquals("label", p.get("group").asText());
        assertEquals("ed25519", p.get("toAlgorithm").asText());
        assertEquals(7 * 86400, p.get("graceSeconds").asLong());
        var entry = api.lastAudit();
        assertEquals("migration.set", entry.action());
        assertEquals("token:admin-token", entry.actor());

        JsonNode listed = json(api.call("GET", "/policies", Role.AUDITOR, null));
        assertEquals(1, listed.size(), listed::toString);
        assertEquals(id, listed.get(0).get("policy").get("id").asLong());
        assertEquals(0, listed.get(0).get("migrated").asLong());

        assertEquals(200, api.call("DELETE", "/policies/" + id, Role.ADMIN, null).statusCode());
        assertEquals("migration.remove", api.lastAudit().action());
        assertEquals(404, api.call("DELETE", "/policies/" + id, Role.ADMIN, null).statusCode(), "removed once");
        assertEquals(0, json(api.call("GET", "/policies", Role.OPERATOR, null)).size());
    }

    @Test
    void refusalsNameTheProblemAndStoreNothing() throws Exception {
        record Case(String body, int status, String reason) { }
        for (Case c : new Case[]{
                new Case("{\"label\":\"\",\"ca\":\"ldevid-ca\",\"toCa\":\"ldevid-ca\",\"toAlgorithm\":\"ed25519\"}", 400, "exactly one group"),
                new Case("{\"label\":\"\",\"toAlgorithm\":\"ed25519\"}", 400, "'toCa' and 'toAlgorithm' are required"),
                new Case("{\"label\":\"\",\"toCa\":\"nope-ca\",\"toAlgorithm\":\"ed25519\"}", 404, "nope-ca"),
                new Case("{\"label\":\"\",\"toCa\":\"ldevid-ca\",\"toAlgorithm\":\"ec-p999\"}", 400, "unknown key algorithm"),
                new Case("{\"label\":\"no-such-label\",\"toCa\":\"ldevid-ca\",\"toAlgorithm\":\"ed25519\"}", 404, "no EST label"),
                new Case("{\"devices\":[],\"toCa\":\"ldevid-ca\",\"toAlgorithm\":\"ed25519\"}", 400, "at least one device"),
                new Case("{\"label\":\"\",\"toCa\":\"ldevid-ca\",\"toAlgorithm\":\"ed25519\",\"grace\":\"soon\"}", 400, "not a duration")}) {
            HttpResponse<String> r = api.call("POST", "/policies", Role.ADMIN, c.body());
            assertEquals(c.status(), r.statusCode(), c + ": " + r.body());
            assertTrue(r.body().contains(c.reason()), c + ": " + r.body());
        }
        assertEquals(400, api.call("DELETE", "/policies/abc", Role.ADMIN, null).statusCode());
        assertEquals(0, f.hallmark.migrations().active().size());
    }
}
