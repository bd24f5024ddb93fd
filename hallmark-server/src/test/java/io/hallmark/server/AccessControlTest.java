package io.hallmark.server;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.FactoryResult;
import io.hallmark.core.factory.wire.Ndjson;
import io.hallmark.core.factory.wire.WireFormat;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.principal.Role;
import io.hallmark.core.station.StationCredentials;
import io.hallmark.core.station.StationSpec;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Access control against a running server, with curl and openssl as the clients: every credential is checked
 * for revocation and expiry on every request, CA certificates are not revocable over the API, a revoked CA
 * issues nothing, and the factory applies the same device rules as single issuance.
 */
class AccessControlTest {

    @TempDir
    static Path dir;
    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        Peers.tool("curl");
        Peers.tool("openssl");
        f = ServerFixture.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    record Reply(int status, String body) {
    }

    private static Reply curl(ServerFixture on, String... args) throws Exception {
        Peers.Result r = on.curl(args);
        assertEquals(0, r.exit(), r::all);
        return new Reply(Integer.parseInt(r.out().strip()), on.body());
    }

    private static Reply api(String method, String path, String token, String json) throws Exception {
        List<String> args = new ArrayList<>(List.of("-X", method, "-H", "Authorization: Bearer " + token));
        if (json != null) args.addAll(List.of("-H", "Content-Type: application/json", "--data", json));
        args.add(f.server.httpsUri() + "/api/v1" + path);
        return curl(f, args.toArray(String[]::new));
    }

    /** An operator client certificate as {@code hallmark operator create} makes it: [cert, key, serial]. */
    private static String[] operator(String name, Role role) throws Exception {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        IssuedCertificate issued = f.hallmark.issuer().issue(new IssuanceRequest("clients-ca", "client",
                Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=" + name)), null, null, "test"));
        f.hallmark.credentials().registerCertificate(Pem.x509(issued.certificate().der()), role, name, "test");
        Path cert = dir.resolve(name + ".pem"), key = dir.resolve(name + ".key");
        Files.writeString(cert, Pem.certificate(issued.certificate().der()));
        Files.writeString(key, Csrs.privateKeyPem(keys));
        return new String[]{cert.toString(), key.toString(), issued.certificate().serial()};
    }

    private static IssuedCertificate issue(String ca, String profile, KeyPair keys, String device, String hwType, String hwSerial) {
        var hw = hwType == null ? null : io.hallmark.core.profile.HardwareModuleName.parse(hwType, hwSerial);
        return f.hallmark.issuer().issue(new IssuanceRequest(ca, profile, Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=dev")),
                device, hw, "test"));
    }

    @Test
    void aRevokedOperatorCertificateIsRefusedAtItsNextRequest() throws Exception {
        String[] olga = operator("olga", Role.OPERATOR);
        String devices = f.server.httpsUri() + "/api/v1/devices";
        assertEquals(200, curl(f, "--cert", olga[0], "--key", olga[1], devices).status());

        f.hallmark.revoker().revoke(olga[2], RevocationReason.keyCompromise, null, "test");

        Reply refused = curl(f, "--cert", olga[0], "--key", olga[1], devices);
        assertEquals(401, refused.status(), refused.body());
        assertTrue(refused.body().contains("revoked"), refused.body());
        String victim = issue("idevid-ca", "idevid", KeyAlgorithm.EC_P256.generate(), "OLGA-VICTIM", null, null).certificate().serial();
        Reply revoke = curl(f, "--cert", olga[0], "--key", olga[1], "-H", "Content-Type: application/json", "--data", "{\"reason\":\"keyCompromise\"}",
                f.server.httpsUri() + "/api/v1/certificates/" + victim + "/revoke");
        assertEquals(401, revoke.status(), revoke.body());
        assertNull(f.hallmark.store().read(tx -> tx.certificates().find(victim)).orElseThrow().revocation(), "nothing revoked by a revoked operator");
    }

    @Test
    void aRevocationOnOneNodeIsInForceOnAnotherAtOnce() throws Exception {
        // A second node over the same store, as two 'hallmark serve' processes share one database.
        try (ServerFixture other = ServerFixture.start(dir)) {
            String[] otto = operator("otto", Role.AUDITOR);
            String token = f.hallmark.credentials().createToken(Role.AUDITOR, "two-nodes", "test");
            String cas = other.server.httpsUri() + "/api/v1/cas";
            assertEquals(200, curl(other, "--cert", otto[0], "--key", otto[1], cas).status());
            assertEquals(200, curl(other, "-H", "Authorization: Bearer " + token, cas).status());

            f.hallmark.revoker().revoke(otto[2], RevocationReason.keyCompromise, null, "test");
            f.hallmark.credentials().revoke(token.split("_")[1], "test");

            assertEquals(401, curl(other, "--cert", otto[0], "--key", otto[1], cas).status(), "the other node's very next request");
            assertEquals(401, curl(other, "-H", "Authorization: Bearer " + token, cas).status());
        }
    }

    @Test
    void revokedAndExpiredTokensGet401() throws Exception {
        String token = f.hallmark.credentials().createToken(Role.OPERATOR, "ci-bot", "test");
        assertEquals(200, api("GET", "/cas", token, null).status());
        String id = token.split("_")[1];
        f.hallmark.credentials().revoke(id, "test");
        Reply revoked = api("GET", "/cas", token, null);
        assertEquals(401, revoked.status(), revoked.body());
        assertTrue(revoked.body().contains("revoked"), revoked.body());
        HallmarkException twice = assertThrows(HallmarkException.class, () -> f.hallmark.credentials().revoke(id, "test"));
        assertEquals(HallmarkException.Kind.CONFLICT, twice.kind());

        String shortLived = f.hallmark.credentials().createToken(Role.OPERATOR, "short", Duration.ofMillis(300), "test");
        assertEquals(200, api("GET", "/cas", shortLived, null).status());
        Thread.sleep(400);
        Reply expired = api("GET", "/cas", shortLived, null);
        assertEquals(401, expired.status(), expired.body());
        assertTrue(expired.body().contains("expired"), expired.body());

        String forever = f.hallmark.credentials().createToken(Role.AUDITOR, "service", null, "test");
        assertEquals(200, api("GET", "/cas", forever, null).status());
        assertNull(f.hallmark.credentials().list().stream().filter(p -> forever.contains(p.id())).findFirst().orElseThrow().expiresAt());
    }

    @Test
    void noRoleRevokesACaCertificateOverTheApi() throws Exception {
        for (Role role : Role.values()) {
            String token = f.hallmark.credentials().createToken(role, "ca-revoker-" + role.id(), "test");
            for (String ca : List.of("root", "idevid-ca", "ldevid-ca", "clients-ca")) {
                String serial = f.hallmark.cas().get(ca).serial();
                Reply r = api("POST", "/certificates/" + serial + "/revoke", token, "{\"reason\":\"keyCompromise\"}");
                assertTrue(r.status() >= 400 && r.status() < 500, role + " " + ca + ": " + r);
                assertNull(f.hallmark.store().read(tx -> tx.certificates().find(serial)).orElseThrow().revocation(), ca + " stays unrevoked");
            }
        }
        String admin = f.hallmark.credentials().createToken(Role.ADMIN, "admin-ca", "test");
        Reply r = api("POST", "/certificates/" + f.hallmark.cas().get("idevid-ca").serial() + "/revoke", admin, "{\"reason\":\"keyCompromise\"}");
        assertEquals(403, r.status());
        assertTrue(r.body().contains("hallmark ca revoke"), r.body());
    }

    @Test
    void aRevokedCaIssuesNothingBelowIt(@TempDir Path own) throws Exception {
        try (ServerFixture g = ServerFixture.start(own)) {
            Path[] dev = g.idevid("CA-REV-1");
            Path csr = g.csrB64(dev[1], "/CN=sensor", "carev");
            Reply before = curl(g, "--cert", dev[0].toString(), "--key", dev[1].toString(), "-H", "Content-Type: application/pkcs10",
                    "--data-binary", "@" + csr, g.est("simpleenroll"));
            assertEquals(200, before.status(), before.body());

            g.hallmark.revoker().revokeCa("ldevid-ca", g.hallmark.cas().get("ldevid-ca").serial(), RevocationReason.keyCompromise, null, "test");
            long certificates = g.certificates();
            Reply after = curl(g, "--cert", dev[0].toString(), "--key", dev[1].toString(), "-H", "Content-Type: application/pkcs10",
                    "--data-binary", "@" + csr, g.est("simpleenroll"));
            assertEquals(403, after.status(), after.body());
            assertTrue(after.body().contains("ldevid-ca") && after.body().contains("revoked"), after.body());
            assertEquals(certificates, g.certificates(), "nothing stored");

            // The root revoked: idevid-ca, below it, may not issue either, and says why.
            g.hallmark.revoker().revokeCa("root", g.hallmark.cas().get("root").serial(), RevocationReason.cACompromise, null, "test");
            HallmarkException e = assertThrows(HallmarkException.class, () -> g.idevid("CA-REV-2"));
            assertEquals(HallmarkException.Kind.FORBIDDEN, e.kind());
            assertTrue(e.getMessage().contains("CA root above it"), e.getMessage());
            HallmarkException again = assertThrows(HallmarkException.class,
                    () -> g.hallmark.revoker().revokeCa("root", g.hallmark.cas().get("root").serial(), RevocationReason.cACompromise, null, "test"));
            assertEquals(HallmarkException.Kind.CONFLICT, again.kind());
        }
    }

    /** A station's NDJSON batch over mutual TLS with curl; the results in input order. */
    private static List<FactoryResult> factory(String[] station, String ca, String profile, FactoryItem... items) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (FactoryItem item : items) body.writeBytes(Ndjson.line(item));
        Path in = Files.createTempFile(dir, "batch", ".ndjson");
        Files.write(in, body.toByteArray());
        Reply r = curl(f, "--cert", station[0], "--key", station[1], "-H", "Content-Type: application/x-ndjson", "--data-binary", "@" + in,
                f.server.httpsUri() + "/api/v1/factory/" + ca + "/" + profile);
        assertEquals(200, r.status(), r.body());
        var reader = WireFormat.NDJSON.resultReader(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
        List<FactoryResult> out = new ArrayList<>();
        for (FactoryResult x = reader.next(); x != null; x = reader.next()) out.add(x);
        return out;
    }

    private static String[] station(String name, String ca, String profile) throws Exception {
        StationCredentials c = f.hallmark.stations().create(new StationSpec(name, null, null, List.of(ca), List.of(profile), null, null, null, null), null, "test");
        Path cert = dir.resolve(name + ".pem"), key = dir.resolve(name + ".key");
        Files.writeString(cert, Pem.certificate(c.certificate()));
        Files.writeString(key, c.privateKeyPem());
        return new String[]{cert.toString(), key.toString()};
    }

    private static FactoryItem item(String device, KeyPair keys, String hwType, String hwSerial) {
        return new FactoryItem(device, Pem.encode("CERTIFICATE REQUEST", Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=dev"))),
                hwType, hwSerial, null);
    }

    @Test
    void theFactoryRefusesABlockedDevice() throws Exception {
        String[] line = station("ldevid-line", "ldevid-ca", "ldevid");
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        String idevid = issue("idevid-ca", "idevid", keys, "BLOCK-1", null, null).certificate().serial();
        f.hallmark.revoker().revoke(idevid, RevocationReason.superseded, null, "test");
        long before = f.certificates();

        List<FactoryResult> results = factory(line, "ldevid-ca", "ldevid", item("BLOCK-1", keys, null, null), item("FREE-1", keys, null, null));
        assertEquals(FactoryResult.ERROR, results.get(0).status(), results.get(0).toString());
        assertEquals("FORBIDDEN", results.get(0).errorKind());
        assertTrue(results.get(0).error().contains("BLOCK-1 is blocked"), results.get(0).error());
        assertEquals(FactoryResult.ISSUED, results.get(1).status(), results.get(1).toString());
        assertEquals(before + 1, f.certificates(), "only the unblocked device got a certificate");
    }

    @Test
    void aHardwareModuleNameBelongsToOneDevice() throws Exception {
        String[] line = station("idevid-line", "idevid-ca", "idevid");
        String type = "1.3.6.1.4.1.99999.1";
        List<FactoryResult> first = factory(line, "idevid-ca", "idevid", item("HW-1", KeyAlgorithm.EC_P256.generate(), type, "0a0b0c0d"),
                item("HW-2", KeyAlgorithm.EC_P256.generate(), type, "0a0b0c0d"));
        assertEquals(FactoryResult.ISSUED, first.get(0).status(), first.get(0).toString());
        assertEquals(FactoryResult.ERROR, first.get(1).status(), "the same module twice in one batch");
        assertEquals("CONFLICT", first.get(1).errorKind());
        assertTrue(first.get(1).error().contains("belongs to device HW-1"), first.get(1).error());

        List<FactoryResult> later = factory(line, "idevid-ca", "idevid", item("HW-3", KeyAlgorithm.EC_P256.generate(), type, "0a0b0c0d"));
        assertEquals("CONFLICT", later.getFirst().errorKind(), later.getFirst().toString());
        HallmarkException single = assertThrows(HallmarkException.class,
                () -> issue("idevid-ca", "idevid", KeyAlgorithm.EC_P256.generate(), "HW-4", type, "0A0B0C0D"));
        assertEquals(HallmarkException.Kind.CONFLICT, single.kind());
        assertTrue(single.getMessage().contains("belongs to device HW-1"), single.getMessage());
        assertTrue(f.hallmark.store().read(tx -> tx.devices().find("HW-4")).isEmpty(), "nothing stored for the refused device");
        // Another module of the same type is free.
        assertNotNull(issue("idevid-ca", "idevid", KeyAlgorithm.EC_P256.generate(), "HW-5", type, "0a0b0c0e"));
    }

    private static String ocsp(Path cert, String issuerCa) throws Exception {
        Path issuer = dir.resolve(issuerCa + ".pem");
        Files.writeString(issuer, Pem.certificate(f.hallmark.cas().get(issuerCa).certificate()));
        Peers.Result r = Peers.run(dir, "openssl", "ocsp", "-issuer", issuer.toString(), "-cert", cert.toString(),
                "-url", f.server.httpUri() + "/ocsp", "-CAfile", f.root.toString());
        assertEquals(0, r.exit(), r::all);
        return r.out();
    }

    @Test
    void revokingACompromisedIdevidRevokesTheDevicesLdevids() throws Exception {
        String admin = f.hallmark.credentials().createToken(Role.ADMIN, "cascade", "test");
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        String idevid = issue("idevid-ca", "idevid", keys, "CASCADE-1", null, null).certificate().serial();
        CertificateRecord ldevid = issue("ldevid-ca", "ldevid", KeyAlgorithm.EC_P256.generate(), "CASCADE-1", null, null).certificate();
        Path ldevidPem = dir.resolve("cascade-ld.pem");
        Files.writeString(ldevidPem, Pem.certificate(ldevid.der()));
        assertTrue(ocsp(ldevidPem, "ldevid-ca").contains(": good"));

        Reply r = api("POST", "/certificates/" + idevid + "/revoke", admin, "{\"reason\":\"keyCompromise\"}");
        assertEquals(200, r.status(), r.body());

        assertTrue(ocsp(ldevidPem, "ldevid-ca").contains(": revoked"), "the LDevID went with its compromised IDevID");
        var stored = f.hallmark.store().read(tx -> tx.certificates().find(new CertificateQuery("CASCADE-1", null, null, null, 10)));
        assertTrue(stored.stream().allMatch(c -> c.revocation() != null && c.revocation().reason() == RevocationReason.keyCompromise), stored.toString());

        // Another reason blocks the device but leaves its LDevIDs to expire.
        String other = issue("idevid-ca", "idevid", KeyAlgorithm.EC_P256.generate(), "CASCADE-2", null, null).certificate().serial();
        CertificateRecord kept = issue("ldevid-ca", "ldevid", KeyAlgorithm.EC_P256.generate(), "CASCADE-2", null, null).certificate();
        assertEquals(200, api("POST", "/certificates/" + other + "/revoke", admin, "{\"reason\":\"cessationOfOperation\"}").status());
        assertNull(f.hallmark.store().read(tx -> tx.certificates().find(kept.serial())).orElseThrow().revocation());
        assertTrue((boolean) f.hallmark.store().read(tx -> tx.devices().isBlocked("CASCADE-2")));
    }
}
