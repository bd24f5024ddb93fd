package io.hallmark.server;

import io.hallmark.core.principal.Role;
import io.hallmark.core.store.Event;
import io.hallmark.core.store.EventType;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.core.telemetry.OcspEventCounter;
import io.hallmark.server.metrics.MetricsAccess;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Events for every kind, the ingest endpoint's validation, and /metrics as Prometheus's promtool reads it. */
class TelemetryTest {

    @TempDir
    static Path dir;
    static ServerFixture f;
    static String admin;
    static String ingest;
    static String auditor;
    static String station;

    @BeforeAll
    static void start() throws Exception {
        Peers.tool("openssl");
        Peers.tool("curl");
        f = ServerFixture.start(dir);
        admin = f.hallmark.credentials().createToken(Role.ADMIN, "admin-token", "test");
        ingest = f.hallmark.credentials().createToken(Role.INGEST, "broker-plugin", "test");
        auditor = f.hallmark.credentials().createToken(Role.AUDITOR, "auditor-token", "test");
        station = f.hallmark.credentials().createToken(Role.STATION, "station-token", "test");
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private static List<Event> events(EventType type) {
        List<Event> out = new ArrayList<>();
        f.hallmark.store().run(tx -> tx.events().scan(null, type, null, 1000, out::add));
        return out;
    }

    private static Peers.Result post(String token, String contentType, Path body) {
        List<String> args = new ArrayList<>(List.of("-X", "POST", "--data-binary", "@" + body));
        if (token != null) args.addAll(List.of("-H", "Authorization: Bearer " + token));
        if (contentType != null) args.addAll(List.of("-H", "Content-Type: " + contentType));
        args.add(f.server.httpsUri() + "/api/v1/events/auth");
        return f.curl(args.toArray(String[]::new));
    }

    private static String body() {
        try {
            return f.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void eachKindOfEventIsRecordedWhereItHappens() throws Exception {
        Path[] dev = f.idevid("EV-1");
        assertTrue(events(EventType.ISSUANCE).stream().anyMatch(e -> "EV-1".equals(e.device())), "issuance");

        Path csr = f.csrB64(dev[1], "/CN=sensor", "ev1");
        assertEquals("200", f.curl("--cert", dev[0].toString(), "--key", dev[1].toString(), "-H", "Content-Type: application/pkcs10",
                "--data-binary", "@" + csr, f.est("simpleenroll")).out(), TelemetryTest::body);
        assertTrue(events(EventType.ENROLLMENT).stream().anyMatch(e -> "EV-1".equals(e.device()) && "ok".equals(e.result())), "enrollment");

        Files.writeString(dir.resolve("ev1.p7.b64"), f.body());
        assertEquals(0, Peers.run(dir, "sh", "-c", "base64 -d ev1.p7.b64 | openssl pkcs7 -inform DER -print_certs -out ev1-ld.pem").exit());
        assertEquals("200", f.curl("--cert", dir.resolve("ev1-ld.pem").toString(), "--key", dev[1].toString(), "-H", "Content-Type: application/pkcs10",
                "--data-binary", "@" + f.csrB64(dev[1], "/CN=sensor/serialNumber=EV-1", "ev2"), f.est("simplereenroll")).out(), TelemetryTest::body);
        assertTrue(events(EventType.REENROLLMENT).stream().anyMatch(e -> "EV-1".equals(e.device())), "re-enrollment");

        // Refusals: an enrollment without any credential, an API call without a token; each with its reason.
        int failures = events(EventType.AUTH_FAILURE).size();
        String status = f.curl("-H", "Content-Type: application/pkcs10", "--data-binary", "@" + csr, f.est("simpleenroll")).out();
        assertTrue(List.of("401", "403").contains(status), status);
        String estReason = body().strip();
        assertEquals("401", f.curl(f.server.httpsUri() + "/api/v1/cas").out());
        List<Event> refused = events(EventType.AUTH_FAILURE);
        assertEquals(failures + 2, refused.size());
        assertTrue(refused.get(0).subject().startsWith("api:GET /api/v1/cas") && refused.get(0).detail().contains("authenticate"), refused.get(0)::toString);
        assertTrue(refused.get(1).subject().startsWith("enroll:") && estReason.contains(refused.get(1).detail()), () -> refused.get(1) + " / " + estReason);

        String serial = f.hallmark.store().read(tx -> tx.certificates().find(new io.hallmark.core.store.CertificateQuery("EV-1", "idevid-ca", null, null, 1)))
                .getFirst().serial();
        f.hallmark.revoker().revoke(serial, RevocationReason.keyCompromise, null, "test");
        assertTrue(events(EventType.REVOCATION).stream().anyMatch(e -> serial.equals(e.subject()) && e.detail().startsWith("keyCompromise")), "revocation");

        assertEquals("200", f.curl(f.server.httpUri() + "/crl/idevid-ca.crl").out());
        assertTrue(events(EventType.CRL).stream().anyMatch(e -> "idevid-ca".equals(e.subject())), "CRL publication");

        // OCSP: counted per minute, one row with the count, not one per request.
        OcspEventCounter counter = new OcspEventCounter(f.hallmark.ocsp(), f.hallmark.events(), f.hallmark.clock());
        Files.write(dir.resolve("idevid-ca.pem"), io.hallmark.core.crypto.Pem.certificate(f.hallmark.cas().get("idevid-ca").certificate())
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int i = 0; i < 3; i++) {
            var r = Peers.run(dir, "openssl", "ocsp", "-issuer", "idevid-ca.pem", "-cert", dev[0].toString(), "-url", f.server.httpUri() + "/ocsp",
                    "-CAfile", f.root.toString());
            assertEquals(0, r.exit(), r::all);
        }
        int before = events(EventType.OCSP).size();
        counter.flush();
        List<Event> ocsp = events(EventType.OCSP);
        assertEquals(before + 1, ocsp.size());
        assertTrue(ocsp.getFirst().count() >= 3, ocsp.getFirst()::toString);
        counter.flush(); // a quiet minute writes nothing
        assertEquals(before + 1, events(EventType.OCSP).size());
    }

    @Test
    void anOcspQueryAboutADevicesCertificateMovesItsLastSeenWhenTheBatchIsWritten() throws Exception {
        Path[] dev = f.idevid("OCSP-SEEN-1");
        var lastSeen = (java.util.function.Supplier<Instant>) () -> f.hallmark.store().read(tx -> tx.events().lastSeen("OCSP-SEEN-1")).orElseThrow();
        Instant issued = lastSeen.get(); // the issuance moved it
        var seen = new io.hallmark.core.telemetry.OcspLastSeen(f.hallmark.ocsp(), f.hallmark.store(), f.hallmark.clock());
        seen.flush(); // whatever earlier tests queried
        Thread.sleep(20); // last seen is kept to the millisecond
        Files.write(dir.resolve("idevid-ca-seen.pem"), io.hallmark.core.crypto.Pem.certificate(f.hallmark.cas().get("idevid-ca").certificate())
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int i = 0; i < 2; i++) { // the second is answered from the cache of request bytes: gathered all the same
            var r = Peers.run(dir, "openssl", "ocsp", "-issuer", "idevid-ca-seen.pem", "-cert", dev[0].toString(), "-url", f.server.httpUri() + "/ocsp",
                    "-CAfile", f.root.toString(), "-no_nonce");
            assertEquals(0, r.exit(), r::all);
            assertTrue(r.out().contains(": good"), r::all);
        }
        // Answering wrote nothing: the serial waits in memory for the batch (the node's scheduler writes one every
        // 15 s, and may have taken it first; either way the batch moves the device's last seen).
        assertTrue(seen.flush() <= 1, "one serial gathered, however often it was asked about");
        Instant after = lastSeen.get();
        assertTrue(after.isAfter(issued), issued + " then " + after);
        assertEquals(0, seen.flush(), "a quiet interval writes nothing");
        assertEquals(after, lastSeen.get());
        // The inventory filter sees it too.
        var rows = new io.hallmark.core.inventory.Inventory(f.hallmark.store(), f.hallmark.clock(), f.hallmark::profiles)
                .page(java.util.Map.of("seen-within", "1h", "ca", "idevid-ca"), null, 100).items();
        assertTrue(rows.stream().anyMatch(r -> "OCSP-SEEN-1".equals(r.device()) && after.equals(r.lastSeen())), rows::toString);
    }

    @Test
    void ingestRecordsAnAuthenticationAndMovesTheDevicesLastSeen() throws Exception {
        f.idevid("SEEN-1");
        Instant at = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        Path ok = file("ok.json", "{\"device\":\"SEEN-1\",\"endpoint\":\"mqtts://broker-1:8883\",\"result\":\"failed\",\"time\":\"" + at
                + "\",\"reason\":\"certificate revoked\"}");
        assertEquals("202", post(ingest, "application/json", ok).out(), TelemetryTest::body);
        Event e = events(EventType.AUTH_REPORTED).getFirst();
        assertEquals(List.of("SEEN-1", "mqtts://broker-1:8883", "failed", "certificate revoked", at),
                List.of(e.device(), e.subject(), e.result(), e.detail(), e.at()));

        assertEquals("200", f.curl("-H", "Authorization: Bearer " + admin, f.server.httpsUri() + "/api/v1/devices/SEEN-1").out());
        assertTrue(f.body().contains("\"lastSeen\":\"" + at + "\""), TelemetryTest::body);
    }

    @Test
    void ingestRefusesBadInputWithItsStatusAndStoresNothing() throws Exception {
        String now = Instant.now().toString();
        Path valid = file("valid.json", "{\"device\":\"D\",\"endpoint\":\"e\",\"result\":\"ok\",\"time\":\"" + now + "\"}");
        record Case(String name, String token, String contentType, Path body, String status) { }
        List<Case> cases = List.of(
                new Case("no token", null, "application/json", valid, "401"),
                new Case("a role without ingest", auditor, "application/json", valid, "403"),
                new Case("wrong content type", ingest, "text/plain", valid, "415"),
                new Case("malformed", ingest, "application/json", file("bad.json", "{\"device\": "), "400"),
                new Case("oversized", ingest, "application/json", file("big.json", "{\"device\":\"D\",\"endpoint\":\"e\",\"result\":\"ok\",\"time\":\""
                        + now + "\",\"reason\":\"" + "x".repeat(20_000) + "\"}"), "413"),
                new Case("unknown field", ingest, "application/json", file("extra.json", "{\"device\":\"D\",\"endpoint\":\"e\",\"result\":\"ok\",\"time\":\""
                        + now + "\",\"admin\":true}"), "400"),
                new Case("result not ok/failed", ingest, "application/json", file("res.json", "{\"device\":\"D\",\"endpoint\":\"e\",\"result\":\"maybe\",\"time\":\""
                        + now + "\"}"), "400"),
                new Case("no device", ingest, "application/json", file("nodev.json", "{\"endpoint\":\"e\",\"result\":\"ok\",\"time\":\"" + now + "\"}"), "400"),
                new Case("control character", ingest, "application/json", file("ctl.json", "{\"device\":\"D\\u001b[2J\",\"endpoint\":\"e\",\"result\":\"ok\",\"time\":\""
                        + now + "\"}"), "400"),
                new Case("time a year off", ingest, "application/json", file("skew.json", "{\"device\":\"D\",\"endpoint\":\"e\",\"result\":\"ok\",\"time\":\"2020-01-01T00:00:00Z\"}"), "400"),
                new Case("unreadable time", ingest, "application/json", file("time.json", "{\"device\":\"D\",\"endpoint\":\"e\",\"result\":\"ok\",\"time\":\"yesterday\"}"), "400"));
        int stored = events(EventType.AUTH_REPORTED).size();
        for (Case c : cases) {
            Peers.Result r = post(c.token(), c.contentType(), c.body());
            String reply = f.body();
            assertEquals(c.status(), r.out(), () -> c.name() + ": " + reply + r.err());
            assertEquals(1, reply.strip().lines().count(), () -> c.name() + " has a one-line reason: " + reply);
        }
        assertEquals(stored, events(EventType.AUTH_REPORTED).size(), "nothing was stored");
    }

    @Test
    void metricsOnBothListenersPassPromtoolAndNameRoutesNotPaths() throws Exception {
        Path promtool = Peers.tool("promtool");
        assertEquals("200", f.curl(f.server.httpUri() + "/crl/idevid-ca.crl").out());
        assertEquals("404", f.curl(f.server.httpUri() + "/crl/nope-4711.crl").out());
        f.server.metrics().refresh();
        for (String base : List.of(f.server.httpUri().toString(), f.server.httpsUri().toString())) {
            assertEquals("200", f.curl(base + "/metrics").out(), base);
            String text = f.body();
            Files.writeString(dir.resolve("metrics.txt"), text);
            Peers.Result check = Peers.run(dir, "sh", "-c", promtool + " check metrics < metrics.txt");
            assertEquals(0, check.exit(), check::all);
            for (String expected : List.of("hallmark_http_requests_seconds_bucket{ca=\"idevid-ca\",method=\"GET\",route=\"/crl/{file}\",status=\"200\"",
                    "hallmark_certificates{ca=\"idevid-ca\",status=\"valid\"}", "hallmark_certificates_expiring{ca=\"idevid-ca\",within=\"30d\"}",
                    "hallmark_crl_next_update_seconds{ca=\"idevid-ca\"}", "hallmark_vault_sign_seconds_count{vault=\"soft\"}",
                    "hallmark_ocsp_requests_total", "hallmark_factory_issued_total", "hallmark_audit_head_wait_seconds_count")) {
                assertTrue(text.contains(expected), () -> base + " lacks " + expected + ":\n" + text);
            }
            assertFalse(text.contains("nope-4711"), "a raw path became a label");
            for (String line : text.lines().filter(l -> !l.startsWith("#")).toList()) {
                assertTrue(line.startsWith("hallmark_"), line);
            }
        }
    }

    @Test
    void metricsAccessTokenNeedsHttpsAndARoleWithTheMetricsPermission() throws Exception {
        MetricsAccess.set(f.hallmark.store(), MetricsAccess.TOKEN, "test", Instant.now());
        try {
            assertEquals("403", f.curl(f.server.httpUri() + "/metrics").out());
            assertEquals("401", f.curl(f.server.httpsUri() + "/metrics").out());
            assertEquals("403", f.curl("-H", "Authorization: Bearer " + station, f.server.httpsUri() + "/metrics").out());
            assertEquals("200", f.curl("-H", "Authorization: Bearer " + ingest, f.server.httpsUri() + "/metrics").out());
            assertTrue(f.body().contains("hallmark_"));
        } finally {
            MetricsAccess.set(f.hallmark.store(), MetricsAccess.OPEN, "test", Instant.now());
        }
        assertEquals("200", f.curl(f.server.httpUri() + "/metrics").out());
    }
}
