package io.hallmark.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.principal.Role;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static io.hallmark.server.ApiClient.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The routes that bring the CLI's online operations to the REST API: each one's role matrix (a role without the
 * permission gets 403 and nothing is stored, no credentials 401), its happy path and its refusals.
 */
class ApiRoutesTest {

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

    static HttpResponse<String> call(String method, String path, Role role, String body) throws Exception {
        return api.call(method, path, role, body);
    }

    /** A route, the roles that may call it, and a body; an allowed role's body is '{}' so that it fails validation (400) and changes nothing. */
    record Route(String method, String path, List<Role> allowed) {
    }

    static final List<Role> READERS = List.of(Role.ADMIN, Role.OPERATOR, Role.AUDITOR);
    static final List<Role> ADMIN = List.of(Role.ADMIN);

    @Test
    void everyNewRouteChecksItsPermissionFirst() throws Exception {
        List<Route> routes = List.of(
                new Route("GET", "/cas/idevid-ca", READERS),
                new Route("GET", "/cas/idevid-ca/certificate", READERS),
                new Route("POST", "/cas/idevid-ca/revoke", ADMIN),
                new Route("GET", "/profiles", READERS),
                new Route("GET", "/profiles/idevid", READERS),
                new Route("POST", "/certificates", List.of(Role.ADMIN, Role.OPERATOR)),
                new Route("POST", "/devices/NOBODY/revoke", List.of(Role.ADMIN, Role.OPERATOR)),
                new Route("GET", "/stations", READERS),
                new Route("GET", "/stations/nope", READERS),
                new Route("POST", "/stations", ADMIN),
                new Route("GET", "/credentials", ADMIN),
                new Route("POST", "/credentials/nope/revoke", ADMIN),
                new Route("POST", "/tokens", ADMIN),
                new Route("GET", "/est/labels", READERS),
                new Route("POST", "/est/labels", ADMIN),
                new Route("GET", "/publication", READERS),
                new Route("PUT", "/publication", ADMIN),
                new Route("GET", "/audit/entries", List.of(Role.ADMIN, Role.AUDITOR)));
        long certificates = f.certificates();
        long credentials = f.hallmark.credentials().list().size();
        String publication = f.hallmark.publication().current().toString();
        for (Route route : routes) {
            // A body that would pass where one is needed, so that a 403 is the permission's and not the body's.
            String body = route.method().equals("GET") ? null : route.path().equals("/tokens") ? "{\"role\":\"admin\"}" : "{}";
            HttpResponse<String> anonymous = call(route.method(), route.path(), null, body);
            assertEquals(401, anonymous.statusCode(), route + ": " + anonymous.body());
            for (Role role : Role.values()) {
                HttpResponse<String> r = call(route.method(), route.path(), role, route.method().equals("GET") ? null
                        : route.allowed().contains(role) ? "{}" : body);
                if (route.allowed().contains(role)) {
                    assertTrue(r.statusCode() == 200 || r.statusCode() == 400 || r.statusCode() == 404,
                            route + " as " + role + ": " + r.statusCode() + " " + r.body());
                } else {
                    assertEquals(403, r.statusCode(), route + " as " + role + ": " + r.body());
                }
            }
        }
        assertEquals(certificates, f.certificates(), "no refusal issued anything");
        assertEquals(credentials, f.hallmark.credentials().list().size(), "no refusal created a credential");
        assertEquals(publication, f.hallmark.publication().current().toString(), "no refusal changed publication");
    }

    @Test
    void issuesFromACsrAndAReplayIsTheSameCertificate() throws Exception {
        String csr = csrPem("sensor");
        String body = "{\"ca\":\"idevid-ca\",\"profile\":\"idevid\",\"serialNumber\":\"API-ISSUE-1\",\"csr\":" + q(csr) + "}";
        long before = f.certificates();
        HttpResponse<String> first = call("POST", "/certificates", Role.OPERATOR, body);
        assertEquals(201, first.statusCode(), first.body());
        JsonNode issued = json(first);
        assertEquals("API-ISSUE-1", issued.get("device").asText());
        assertFalse(issued.get("replayed").asBoolean());
        var cert = Pem.x509(Pem.blocks(issued.get("pem").asText().getBytes(), "CERTIFICATE").getFirst());
        assertEquals(issued.get("serial").asText(), cert.getSerialNumber().toString(16));
        assertTrue(issued.get("chain").asText().contains("BEGIN CERTIFICATE"));
        assertEquals(before + 1, f.certificates());
        var entry = api.lastAudit();
        assertEquals("token:operator-token", entry.actor(), "issuance is audited as the caller");

        HttpResponse<String> replay = call("POST", "/certificates", Role.OPERATOR, body);
        assertEquals(200, replay.statusCode(), replay.body());
        assertEquals(issued.get("serial").asText(), json(replay).get("serial").asText());
        assertTrue(json(replay).get("replayed").asBoolean());
        assertEquals(before + 1, f.certificates(), "a replay stores nothing");
    }

    @Test
    void issuanceRefusalsStoreNothing() throws Exception {
        long before = f.certificates();
        String csr = q(csrPem("x"));
        assertStatus(400, call("POST", "/certificates", Role.ADMIN, "{\"ca\":\"idevid-ca\",\"profile\":\"idevid\",\"csr\":\"not a csr\"}"));
        assertStatus(400, call("POST", "/certificates", Role.ADMIN, "{\"ca\":\"idevid-ca\",\"profile\":\"idevid\",\"csr\":" + csr + ",\"color\":\"red\"}"));
        assertStatus(400, call("POST", "/certificates", Role.ADMIN, "{\"ca\":\"idevid-ca\",\"profile\":\"idevid\"}"));
        assertStatus(400, call("POST", "/certificates", Role.ADMIN, "{\"ca\":"));
        assertStatus(404, call("POST", "/certificates", Role.ADMIN, "{\"ca\":\"no-such-ca\",\"profile\":\"idevid\",\"serialNumber\":\"N-1\",\"csr\":" + csr + "}"));
        assertStatus(415, api.call("POST", "/certificates", api.token(Role.ADMIN), "text/plain", "{\"ca\":\"idevid-ca\"}"));
        assertStatus(413, call("POST", "/certificates", Role.ADMIN, "{\"csr\":\"" + "A".repeat(20_000) + "\"}"));
        assertEquals(before, f.certificates());
    }

    @Test
    void issuesAServerCertificateWithTheDnsNamesAsked() throws Exception {
        long before = f.certificates();
        assertStatus(400, call("POST", "/certificates", Role.OPERATOR,
                "{\"ca\":\"clients-ca\",\"profile\":\"server\",\"dns\":[\"bad name\"],\"csr\":" + q(csrPem("broker")) + "}"));
        assertEquals(before, f.certificates());
        HttpResponse<String> r = call("POST", "/certificates", Role.OPERATOR,
                "{\"ca\":\"clients-ca\",\"profile\":\"server\",\"dns\":[\"broker.example.com\"],\"ip\":[\"10.0.0.7\"],\"csr\":" + q(csrPem("broker")) + "}");
        assertStatus(201, r);
        var cert = Pem.x509(Pem.blocks(json(r).get("pem").asText().getBytes(), "CERTIFICATE").getFirst());
        assertEquals("[[2, broker.example.com], [7, 10.0.0.7]]", cert.getSubjectAlternativeNames().toString());
    }

    @Test
    void showsAndExportsCasAndProfiles() throws Exception {
        HttpResponse<String> ca = call("GET", "/cas/idevid-ca", Role.AUDITOR, null);
        assertStatus(200, ca);
        assertEquals("root", json(ca).get("parent").asText());
        HttpResponse<String> one = call("GET", "/cas/idevid-ca/certificate", Role.AUDITOR, null);
        assertStatus(200, one);
        assertEquals("application/pem-certificate-chain", one.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals(1, Pem.blocks(one.body().getBytes(), "CERTIFICATE").size());
        List<byte[]> chain = Pem.blocks(call("GET", "/cas/idevid-ca/certificate?chain=true", Role.AUDITOR, null).body().getBytes(), "CERTIFICATE");
        assertEquals(2, chain.size(), "idevid-ca, then root");
        assertArrayEquals(f.hallmark.cas().get("root").certificate(), chain.get(1));
        assertStatus(400, call("GET", "/cas/idevid-ca/certificate?chain=maybe", Role.AUDITOR, null));
        assertStatus(404, call("GET", "/cas/nope", Role.AUDITOR, null));

        JsonNode profiles = json(call("GET", "/profiles", Role.AUDITOR, null));
        assertTrue(profiles.findValuesAsText("name").containsAll(List.of("idevid", "ldevid", "client")), profiles.toString());
        assertEquals("idevid", json(call("GET", "/profiles/idevid", Role.AUDITOR, null)).get("name").asText());
        assertStatus(404, call("GET", "/profiles/nope", Role.AUDITOR, null));
    }

    @Test
    void revokesADeviceAndBlocksIt() throws Exception {
        var keys = KeyAlgorithm.EC_P256.generate();
        f.hallmark.issuer().issue(new IssuanceRequest("idevid-ca", "idevid", Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=x")),
                "API-DEV-1", null, "test"));
        assertStatus(400, call("POST", "/devices/API-DEV-1/revoke", Role.OPERATOR, "{\"reason\":\"bogus\"}"));
        HttpResponse<String> r = call("POST", "/devices/API-DEV-1/revoke", Role.OPERATOR, "{\"reason\":\"keyCompromise\"}");
        assertStatus(200, r);
        assertTrue(json(r).get("blocked").asBoolean());
        assertEquals(1, json(r).get("revoked").size());
        assertTrue((boolean) f.hallmark.store().read(tx -> tx.devices().isBlocked("API-DEV-1")));
        assertStatus(409, call("POST", "/devices/API-DEV-1/revoke", Role.OPERATOR, "{\"reason\":\"keyCompromise\"}"));
        assertStatus(404, call("POST", "/devices/NOBODY/revoke", Role.OPERATOR, "{\"reason\":\"keyCompromise\"}"));
    }

    @Test
    void createsListsAndShowsStations() throws Exception {
        String body = "{\"name\":\"line-7\",\"site\":\"lyon\",\"cas\":[\"idevid-ca\"],\"profiles\":[\"idevid\"],\"quota\":5,\"csr\":" + q(csrPem("line-7")) + "}";
        assertStatus(400, call("POST", "/stations", Role.ADMIN, "{\"name\":\"line-8\",\"cas\":[\"idevid-ca\"],\"profiles\":[\"idevid\"]}"));
        assertStatus(400, call("POST", "/stations", Role.ADMIN, "{\"name\":\"line-8\",\"cas\":[\"idevid-ca\"],\"profiles\":[\"idevid\"],\"validFrom\":\"soon\",\"csr\":" + q(csrPem("s")) + "}"));
        assertStatus(404, call("GET", "/stations/line-8", Role.AUDITOR, null));
        HttpResponse<String> created = call("POST", "/stations", Role.ADMIN, body);
        assertStatus(201, created);
        JsonNode station = json(created).get("station");
        assertEquals("line-7", station.get("name").asText());
        assertTrue(json(created).get("pem").asText().contains("BEGIN CERTIFICATE"));
        assertEquals("station.create", api.lastAudit().action());
        assertEquals("token:admin-token", api.lastAudit().actor());
        assertEquals(5, json(call("GET", "/stations/line-7", Role.AUDITOR, null)).get("quota").asInt());
        assertTrue(json(call("GET", "/stations", Role.OPERATOR, null)).findValuesAsText("name").contains("line-7"));
        String again = "{\"name\":\"line-7\",\"cas\":[\"idevid-ca\"],\"profiles\":[\"idevid\"],\"csr\":" + q(csrPem("line-7b")) + "}";
        assertStatus(409, call("POST", "/stations", Role.ADMIN, again));
    }

    @Test
    void tokensAreCreatedOnceListedWithoutSecretsAndRevoked() throws Exception {
        assertStatus(400, call("POST", "/tokens", Role.ADMIN, "{\"role\":\"emperor\"}"));
        assertStatus(400, call("POST", "/tokens", Role.ADMIN, "{\"role\":\"auditor\",\"ttl\":\"soon\"}"));
        HttpResponse<String> created = call("POST", "/tokens", Role.ADMIN, "{\"role\":\"auditor\",\"name\":\"grafana\",\"ttl\":\"1d\"}");
        assertStatus(201, created);
        String token = json(created).get("token").asText();
        assertEquals(200, api.call("GET", "/cas", token, null, null).statusCode(), "the new token works");
        HttpResponse<String> list = call("GET", "/credentials", Role.ADMIN, null);
        assertFalse(list.body().contains(token.substring(token.lastIndexOf('_') + 1)), "no secret in the listing");
        String id = null;
        for (JsonNode c : json(list)) if ("grafana".equals(c.get("name").asText())) id = c.get("id").asText();
        assertNotNull(id, list.body());
        assertStatus(200, call("POST", "/credentials/" + id + "/revoke", Role.ADMIN, null));
        assertEquals(401, api.call("GET", "/cas", token, null, null).statusCode(), "revoked at once");
        assertStatus(409, call("POST", "/credentials/" + id + "/revoke", Role.ADMIN, null));
        assertStatus(404, call("POST", "/credentials/nope/revoke", Role.ADMIN, null));
    }

    @Test
    void setsAndListsEstLabels() throws Exception {
        assertStatus(400, call("POST", "/est/labels", Role.ADMIN, "{\"name\":\"lab\",\"ca\":\"idevid-ca\",\"profile\":\"ldevid\"}"));
        assertStatus(404, call("POST", "/est/labels", Role.ADMIN, "{\"name\":\"lab\",\"ca\":\"ldevid-ca\",\"profile\":\"ldevid\",\"idevidIssuers\":[\"nope\"]}"));
        assertStatus(400, call("POST", "/est/labels", Role.ADMIN, "{\"name\":\"lab\",\"ca\":\"ldevid-ca\",\"profile\":\"ldevid\",\"trustAnchors\":[\"junk\"]}"));
        HttpResponse<String> set = call("POST", "/est/labels", Role.ADMIN, "{\"name\":\"lab\",\"ca\":\"ldevid-ca\",\"profile\":\"ldevid\",\"allowBootstrap\":true}");
        assertStatus(200, set);
        assertEquals(List.of("idevid-ca"), ApiClient.JSON.convertValue(json(set).get("idevidIssuers"), List.class));
        JsonNode labels = json(call("GET", "/est/labels", Role.AUDITOR, null));
        boolean found = false;
        for (JsonNode l : labels) found |= l.get("name").asText().equals("lab") && l.get("allowBootstrap").asBoolean();
        assertTrue(found, labels.toString());
    }

    @Test
    void readsAndChangesPublication() throws Exception {
        assertStatus(400, call("PUT", "/publication", Role.ADMIN, "{\"crlRefreshh\":\"10m\"}"));
        HttpResponse<String> set = call("PUT", "/publication", Role.ADMIN, "{\"baseUrl\":\"http://pki.example.com\",\"partitions\":{\"ldevid-ca\":2}}");
        assertStatus(200, set);
        JsonNode p = json(call("GET", "/publication", Role.AUDITOR, null));
        assertEquals("http://pki.example.com", p.get("baseUrl").asText());
        assertEquals(2, p.get("partitions").get("ldevid-ca").asInt());
        assertFalse(p.get("loopback").asBoolean());
        HttpResponse<String> shrink = call("PUT", "/publication", Role.ADMIN, "{\"partitions\":{\"ldevid-ca\":1}}");
        assertTrue(shrink.statusCode() == 400 || shrink.statusCode() == 409, shrink.statusCode() + " " + shrink.body());
        assertEquals(2, f.hallmark.publication().current().partitions().get("ldevid-ca"), "a refused change keeps the setting");
    }

    @Test
    void pagesTheAuditLogByCursor() throws Exception {
        for (int i = 0; i < 3; i++) f.hallmark.credentials().createToken(Role.AUDITOR, "pager-" + i, "test");
        JsonNode first = json(call("GET", "/audit/entries?limit=2", Role.AUDITOR, null));
        assertEquals(2, first.get("entries").size());
        assertEquals(1, first.get("entries").get(0).get("seq").asLong());
        long next = first.get("next").asLong();
        assertEquals(2, next);
        JsonNode second = json(call("GET", "/audit/entries?limit=2&after=" + next, Role.AUDITOR, null));
        assertEquals(3, second.get("entries").get(0).get("seq").asLong());
        long total = f.auditEntries();
        JsonNode last = json(call("GET", "/audit/entries?limit=1000&after=" + (total - 1), Role.AUDITOR, null));
        assertEquals(1, last.get("entries").size());
        assertTrue(last.get("next").isNull(), "the last page says so");
        assertStatus(400, call("GET", "/audit/entries?limit=0", Role.AUDITOR, null));
        assertStatus(400, call("GET", "/audit/entries?after=x", Role.AUDITOR, null));
    }

}
