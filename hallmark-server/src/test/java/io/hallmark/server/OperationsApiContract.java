package io.hallmark.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.factory.BatchItem;
import io.hallmark.core.factory.FactoryBatch;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.principal.Role;
import io.hallmark.core.station.StationSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

import static io.hallmark.server.ApiClient.assertStatus;
import static io.hallmark.server.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API routes that close the CLI's operations: factory batches and their progress, station disable/enable/quota,
 * EST label removal and audit checkpoints. Each route: no credentials 401, a role without the permission 403 with
 * nothing changed, bad input 400 with nothing changed, and the happy path. Run on SQLite and on PostgreSQL.
 */
abstract class OperationsApiContract {

    static final List<Role> READERS = List.of(Role.ADMIN, Role.OPERATOR, Role.AUDITOR);
    static final List<Role> ADMIN = List.of(Role.ADMIN);
    static final List<Role> AUDITORS = List.of(Role.ADMIN, Role.AUDITOR);

    abstract ServerFixture fixture();

    abstract ApiClient api();

    record Route(String method, String path, List<Role> allowed, String body) {
    }

    private HttpResponse<String> call(String method, String path, Role role, String body) throws Exception {
        return api().call(method, path, role, body);
    }

    private String station(String prefix) {
        String name = prefix + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        fixture().hallmark.stations().create(new StationSpec(name, null, null, List.of("idevid-ca"), List.of("idevid"), 5L, null, null, null), null, "test");
        return name;
    }

    /** A batch through the one engine, as 'hallmark factory run' runs it; its id. */
    private String batch(int devices) {
        List<BatchItem> items = new ArrayList<>();
        String prefix = "OPS-" + System.nanoTime() + "-";
        for (int i = 0; i < devices; i++) {
            byte[] csr = Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("CN=device"));
            items.add(BatchItem.of(new FactoryItem(prefix + i, Base64.getEncoder().encodeToString(csr), null, null, "software")));
        }
        Iterator<BatchItem> it = items.iterator();
        String[] id = {null};
        fixture().hallmark.factory().run(FactoryBatch.of("idevid-ca", "idevid", io.hallmark.core.authorize.Grant.operator("cli:test"))
                .withChunkSize(2).withWorkers(1).withDeclared((long) devices), () -> it.hasNext() ? it.next() : null, new io.hallmark.core.factory.ResultSink() {
            @Override
            public void started(String batchId) {
                id[0] = batchId;
            }

            @Override
            public void accept(io.hallmark.core.factory.BatchOutcome outcome) {
            }
        });
        return id[0];
    }

    @Test
    void everyRouteChecksItsPermissionBeforeAnythingElse() throws Exception {
        String name = station("perm");
        String batch = batch(1);
        List<Route> routes = List.of(
                new Route("GET", "/factory/batches", READERS, null),
                new Route("GET", "/factory/batches/" + batch, READERS, null),
                new Route("POST", "/stations/" + name + "/disable", ADMIN, null),
                new Route("POST", "/stations/" + name + "/enable", ADMIN, null),
                new Route("PUT", "/stations/" + name + "/quota", ADMIN, "{\"quota\": 1}"),
                new Route("DELETE", "/est/labels?name=nothing-here", ADMIN, null),
                new Route("GET", "/audit/checkpoints", AUDITORS, null),
                new Route("POST", "/audit/checkpoints", ADMIN, null),
                new Route("POST", "/audit/checkpoints/verify", AUDITORS, "{\"checkpoint\": \"x\"}"),
                new Route("GET", "/events/retention", READERS, null),
                new Route("PUT", "/events/retention", ADMIN, "{\"retention\": \"30d\"}"),
                new Route("GET", "/metrics/access", READERS, null),
                new Route("PUT", "/metrics/access", ADMIN, "{\"access\": \"token\"}"),
                new Route("GET", "/inventory/deprecated", READERS, null),
                new Route("POST", "/inventory/deprecated", ADMIN, "{\"algorithm\": \"rsa-2048\"}"),
                new Route("DELETE", "/inventory/deprecated/rsa-2048", ADMIN, null),
                new Route("POST", "/tokens/enroll", ADMIN, "{\"device\": \"PERM-1\"}"),
                new Route("POST", "/devices/NOBODY/reprovision", List.of(Role.ADMIN, Role.OPERATOR), "{\"reason\": \"RMA\"}"),
                new Route("POST", "/matter/pais/pai-perm/dacs", List.of(Role.ADMIN, Role.OPERATOR), "{\"vid\": \"FFF1\", \"pid\": \"8000\", \"csr\": \"x\"}"),
                new Route("POST", "/operators", ADMIN, "{\"name\": \"perm\", \"role\": \"admin\", \"csr\": " + ApiClient.q(ApiClient.csrPem("perm")) + "}"));
        long audit = fixture().auditEntries();
        var before = fixture().hallmark.stations().get(name);
        for (Route route : routes) {
            assertStatus(401, call(route.method(), route.path(), null, route.body()));
            for (Role role : Role.values()) {
                if (route.allowed().contains(role)) continue;
                HttpResponse<String> r = call(route.method(), route.path(), role, route.body());
                assertEquals(403, r.statusCode(), route + " as " + role + ": " + r.body());
            }
        }
        assertEquals(audit, fixture().auditEntries(), "no refused call was audited as a change");
        assertEquals(before, fixture().hallmark.stations().get(name), "no refused call changed the station");
        // Readers may read: the batch routes answer every reading role.
        for (Role role : READERS) assertStatus(200, call("GET", "/factory/batches/" + batch, role, null));
    }

    @Test
    void factoryBatchesAndTheirProgressArePagedAndShown() throws Exception {
        String older = batch(3);
        String newer = batch(5);
        JsonNode one = json(call("GET", "/factory/batches/" + newer, Role.AUDITOR, null));
        assertEquals("done", one.get("state").asText());
        assertEquals(5, one.get("done").asLong());
        assertEquals(5, one.get("issued").asLong());
        assertEquals(5, one.get("declared").asLong());
        assertEquals(100.0, one.get("percent").asDouble());
        assertEquals(3, one.get("chunks").asLong(), "chunks of 2: 2 + 2 + 1");
        assertEquals("cli:test", one.get("actor").asText());
        assertTrue(one.get("perSecond").asDouble() > 0, one.toString());

        JsonNode first = json(call("GET", "/factory/batches?limit=1", Role.OPERATOR, null));
        assertEquals(newer, first.get("batches").get(0).get("id").asText(), "newest first");
        String cursor = first.get("next").asText();
        JsonNode second = json(call("GET", "/factory/batches?limit=1&cursor=" + cursor, Role.OPERATOR, null));
        assertEquals(older, second.get("batches").get(0).get("id").asText());

        assertStatus(400, call("GET", "/factory/batches?limit=0", Role.AUDITOR, null));
        assertStatus(400, call("GET", "/factory/batches?limit=ten", Role.AUDITOR, null));
        assertStatus(400, call("GET", "/factory/batches?cursor=garbage", Role.AUDITOR, null));
        assertStatus(400, call("GET", "/factory/batches/not-an-id", Role.AUDITOR, null));
        assertStatus(404, call("GET", "/factory/batches/" + "0".repeat(24), Role.AUDITOR, null));
    }

    @Test
    void aStationIsDisabledEnabledAndItsQuotaChanged() throws Exception {
        String name = station("chg");
        long audit = fixture().auditEntries();
        var before = fixture().hallmark.stations().get(name);
        for (String bad : new String[]{"{}", "{\"quota\": -1}", "{\"quota\": 3, \"unlimited\": true}", "{\"quota\": \"many\"}", "{\"limit\": 3}"}) {
            assertStatus(400, call("PUT", "/stations/" + name + "/quota", Role.ADMIN, bad));
        }
        assertStatus(415, api().call("PUT", "/stations/" + name + "/quota", api().token(Role.ADMIN), "text/plain", "{\"quota\": 1}"));
        assertStatus(404, call("POST", "/stations/nobody-here/disable", Role.ADMIN, null));
        assertStatus(404, call("PUT", "/stations/nobody-here/quota", Role.ADMIN, "{\"quota\": 1}"));
        assertEquals(before, fixture().hallmark.stations().get(name), "refused changes changed nothing");
        assertEquals(audit, fixture().auditEntries());

        JsonNode disabled = json(call("POST", "/stations/" + name + "/disable", Role.ADMIN, null));
        assertFalse(disabled.get("disabledAt").isNull(), disabled.toString());
        HallmarkException refused = assertThrows(HallmarkException.class,
                () -> fixture().hallmark.stations().authorize(name, "idevid-ca", "idevid"));
        assertTrue(refused.getMessage().contains("is disabled"), refused.getMessage());
        assertEquals("station.disable", api().lastAudit().action());
        assertEquals("token:admin-token", api().lastAudit().actor());

        JsonNode enabled = json(call("POST", "/stations/" + name + "/enable", Role.ADMIN, null));
        assertTrue(enabled.get("disabledAt").isNull(), enabled.toString());
        assertEquals(name, fixture().hallmark.stations().authorize(name, "idevid-ca", "idevid").name());

        assertEquals(9, json(call("PUT", "/stations/" + name + "/quota", Role.ADMIN, "{\"quota\": 9}")).get("quota").asLong());
        assertEquals(9L, fixture().hallmark.stations().get(name).quota());
        assertTrue(json(call("PUT", "/stations/" + name + "/quota", Role.ADMIN, "{\"unlimited\": true}")).get("quota").isNull());
        assertEquals(null, fixture().hallmark.stations().get(name).quota());
        assertEquals("station.quota", api().lastAudit().action());
    }

    @Test
    void sharedSettingsAreReadAndChanged() throws Exception {
        long audit = fixture().auditEntries();
        for (String[] bad : new String[][]{{"/events/retention", "{}"}, {"/events/retention", "{\"retention\": \"soon\"}"},
                {"/events/retention", "{\"retention\": \"1h\"}"}, {"/metrics/access", "{\"access\": \"everyone\"}"}, {"/metrics/access", "{}"}}) {
            assertStatus(400, call("PUT", bad[0], Role.ADMIN, bad[1]));
        }
        assertStatus(400, call("POST", "/inventory/deprecated", Role.ADMIN, "{\"algorithm\": \"rot13\"}"));
        assertStatus(400, call("DELETE", "/inventory/deprecated/rot13", Role.ADMIN, null));
        assertEquals(audit, fixture().auditEntries(), "refusals changed nothing");
        assertEquals("90d", json(call("GET", "/events/retention", Role.AUDITOR, null)).get("retention").asText());
        assertEquals("open", json(call("GET", "/metrics/access", Role.AUDITOR, null)).get("access").asText());

        assertEquals("30d", json(call("PUT", "/events/retention", Role.ADMIN, "{\"retention\": \"30d\"}")).get("retention").asText());
        assertEquals(30, fixture().hallmark.eventRetention().current().toDays());
        assertEquals("token", json(call("PUT", "/metrics/access", Role.ADMIN, "{\"access\": \"token\"}")).get("access").asText());
        assertEquals("open", json(call("PUT", "/metrics/access", Role.ADMIN, "{\"access\": \"open\"}")).get("access").asText());
        assertTrue(json(call("POST", "/inventory/deprecated", Role.ADMIN, "{\"algorithm\": \"rsa-2048\"}")).get("deprecated").toString().contains("rsa-2048"));
        assertTrue(json(call("GET", "/inventory/deprecated", Role.OPERATOR, null)).get("deprecated").toString().contains("rsa-2048"));
        assertFalse(json(call("DELETE", "/inventory/deprecated/rsa-2048", Role.ADMIN, null)).get("deprecated").toString().contains("rsa-2048"));
        assertEquals("algorithm.undeprecate", api().lastAudit().action());
    }

    @Test
    void aDeviceIsReprovisionedAndAnEnrollmentTokenMade() throws Exception {
        String device = "REPRO-" + System.nanoTime();
        String serial = fixture().hallmark.issuer().issue(new io.hallmark.core.issue.IssuanceRequest("idevid-ca", "idevid",
                Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("CN=r")), device, null, "test")).certificate().serial();
        long audit = fixture().auditEntries();
        assertStatus(400, call("POST", "/devices/" + device + "/reprovision", Role.OPERATOR, "{}"));
        assertStatus(404, call("POST", "/devices/NOBODY-" + device + "/reprovision", Role.OPERATOR, "{\"reason\": \"RMA 1\"}"));
        assertStatus(400, call("POST", "/tokens/enroll", Role.ADMIN, "{}"));
        assertStatus(400, call("POST", "/tokens/enroll", Role.ADMIN, "{\"device\": \"X\", \"ttl\": \"forever-ish\"}"));
        assertEquals(audit, fixture().auditEntries(), "refusals changed nothing");
        assertTrue(fixture().hallmark.store().read(tx -> tx.devices().identity(device, "idevid")).isPresent());

        JsonNode done = json(call("POST", "/devices/" + device + "/reprovision", Role.OPERATOR, "{\"reason\": \"secure element replaced, RMA 1\"}"));
        assertEquals(serial, done.get("revokedSerial").asText());
        assertTrue(fixture().hallmark.store().read(tx -> tx.devices().identity(device, "idevid")).isEmpty(), "the binding is released");
        assertNotNull(fixture().hallmark.store().read(tx -> tx.certificates().find(serial)).orElseThrow().revocation());
        assertEquals("device.reprovision", api().lastAudit().action());

        HttpResponse<String> token = call("POST", "/tokens/enroll", Role.ADMIN, "{\"device\": \"BOOT-1\", \"ttl\": \"1h\"}");
        assertStatus(201, token);
        assertFalse(json(token).get("token").asText().isBlank());
    }

    @Test
    void anOperatorCertificateIsRegisteredFromItsOwnCsr() throws Exception {
        long certificates = fixture().certificates();
        int credentials = fixture().hallmark.credentials().list().size();
        String csr = ApiClient.q(ApiClient.csrPem("bob"));
        for (String bad : new String[]{"{}", "{\"name\": \"bob smith\", \"role\": \"auditor\", \"csr\": " + csr + "}",
                "{\"name\": \"bob\", \"role\": \"overlord\", \"csr\": " + csr + "}", "{\"name\": \"bob\", \"role\": \"auditor\", \"csr\": \"not base64!\"}"}) {
            assertStatus(400, call("POST", "/operators", Role.ADMIN, bad));
        }
        assertEquals(certificates, fixture().certificates(), "a refused request issued nothing");
        assertEquals(credentials, fixture().hallmark.credentials().list().size(), "and registered nothing");

        HttpResponse<String> created = call("POST", "/operators", Role.ADMIN, "{\"name\": \"bob\", \"role\": \"auditor\", \"csr\": " + csr + "}");
        assertStatus(201, created);
        JsonNode body = json(created);
        assertEquals("auditor", body.get("credential").get("role").asText());
        assertEquals("certificate", body.get("credential").get("kind").asText());
        assertTrue(body.get("pem").asText().contains("BEGIN CERTIFICATE"));
        assertEquals(credentials + 1, fixture().hallmark.credentials().list().size());
    }

    @Test
    void aMatterDacIsIssuedUnderAPaiAndReplayed() throws Exception {
        String suffix = Long.toString(System.nanoTime() % 1_000_000L, 36);
        var matter = fixture().hallmark.matterAttestation();
        matter.createPaa("paa-" + suffix, "Matter PAA test", 0xFFF1, io.hallmark.core.profile.Validity.parse("forever"), "test");
        matter.createPai("pai-" + suffix, "paa-" + suffix, 0xFFF1, 0x8000, "Matter PAI test", io.hallmark.core.profile.Validity.parse("forever"), "test");
        String path = "/matter/pais/pai-" + suffix + "/dacs";
        String csr = ApiClient.q(ApiClient.csrPem("dac"));
        long certificates = fixture().certificates();
        for (String bad : new String[]{"{}", "{\"vid\": \"FFF2\", \"pid\": \"8000\", \"csr\": " + csr + "}",
                "{\"vid\": \"FFF1\", \"pid\": \"zz\", \"csr\": " + csr + "}", "{\"vid\": \"FFF1\", \"pid\": \"8000\", \"csr\": \"not a csr\"}"}) {
            assertStatus(400, call("POST", path, Role.OPERATOR, bad));
        }
        assertStatus(404, call("POST", "/matter/pais/no-such-pai/dacs", Role.OPERATOR, "{\"vid\": \"FFF1\", \"pid\": \"8000\", \"csr\": " + csr + "}"));
        assertEquals(certificates, fixture().certificates(), "refusals issued nothing");

        String body = "{\"vid\": \"FFF1\", \"pid\": \"8000\", \"serialNumber\": \"DAC-" + suffix + "\", \"csr\": " + csr + "}";
        HttpResponse<String> issued = call("POST", path, Role.OPERATOR, body);
        assertStatus(201, issued);
        assertTrue(json(issued).get("chain").asText().contains("BEGIN CERTIFICATE"));
        assertEquals(certificates + 1, fixture().certificates());
        HttpResponse<String> again = call("POST", path, Role.OPERATOR, body);
        assertStatus(200, again);
        assertEquals(json(issued).get("serial").asText(), json(again).get("serial").asText());
    }

    @Test
    void anEstLabelIsRemoved() throws Exception {
        String label = "gone" + Long.toString(System.nanoTime() % 1_000_000L, 36);
        assertStatus(200, call("POST", "/est/labels", Role.ADMIN, "{\"name\": \"" + label + "\", \"ca\": \"ldevid-ca\", \"profile\": \"ldevid\"}"));
        long audit = fixture().auditEntries();
        assertStatus(400, call("DELETE", "/est/labels", Role.ADMIN, null));
        assertStatus(404, call("DELETE", "/est/labels?name=never-configured", Role.ADMIN, null));
        assertEquals(audit, fixture().auditEntries(), "refusals changed nothing");

        JsonNode removed = json(call("DELETE", "/est/labels?name=" + label, Role.ADMIN, null));
        assertEquals("ldevid-ca", removed.get("ca").asText());
        JsonNode labels = json(call("GET", "/est/labels", Role.AUDITOR, null));
        for (JsonNode l : labels) assertFalse(l.get("name").asText().equals(label), labels.toString());
        assertEquals("config.remove", api().lastAudit().action());
        assertStatus(404, call("DELETE", "/est/labels?name=" + label, Role.ADMIN, null));
    }

    @Test
    void auditCheckpointsAreSignedListedAndVerified() throws Exception {
        long audit = fixture().auditEntries();
        assertStatus(400, call("POST", "/audit/checkpoints/verify", Role.AUDITOR, "{}"));
        assertStatus(400, call("POST", "/audit/checkpoints/verify", Role.AUDITOR, "{\"note\": \"x\"}"));
        assertStatus(415, api().call("POST", "/audit/checkpoints/verify", api().token(Role.AUDITOR), "text/plain", "{\"checkpoint\": \"x\"}"));
        assertEquals(audit, fixture().auditEntries());

        HttpResponse<String> taken = call("POST", "/audit/checkpoints", Role.ADMIN, null);
        assertStatus(201, taken);
        JsonNode checkpoint = json(taken);
        String note = checkpoint.get("checkpoint").asText();
        assertTrue(note.contains("\n\n— "), note);
        // It covers the log up to its own entry (and, the first time, the entry announcing the audit key).
        assertEquals(fixture().auditEntries() - 1, checkpoint.get("size").asLong(), "it covers the log as it was");

        JsonNode listed = json(call("GET", "/audit/checkpoints", Role.AUDITOR, null));
        assertEquals(checkpoint.get("verifierKey").asText(), listed.get("verifierKey").asText());
        JsonNode last = listed.get("checkpoints").get(listed.get("checkpoints").size() - 1);
        assertEquals(checkpoint.get("size").asText(), last.get("subject").asText());

        JsonNode ok = json(call("POST", "/audit/checkpoints/verify", Role.AUDITOR, "{\"checkpoint\": " + ApiClient.q(note) + "}"));
        assertTrue(ok.get("extendsCheckpoint").asBoolean(), ok.toString());
        long size = checkpoint.get("size").asLong();
        String forged = note.replaceFirst("\n" + size + "\n", "\n" + (size - 1) + "\n");
        assertFalse(forged.equals(note), note);
        JsonNode bad = json(call("POST", "/audit/checkpoints/verify", Role.AUDITOR, "{\"checkpoint\": " + ApiClient.q(forged) + "}"));
        assertFalse(bad.get("extendsCheckpoint").asBoolean(), bad.toString());
        assertNotNull(bad.get("problem").asText());
    }
}
