package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.ca.CaSpec;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.enroll.EnrollmentLabel;
import io.hallmark.core.migrate.DeviceGroup;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.server.est.EstLabels;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Key migration policies end to end: the real agent (the CLI's 'device enroll' and 'device reenroll') against a real
 * server, a policy set with 'hallmark policy migrate', csrattrs read by curl and decoded by openssl, refusals and the
 * grace period over curl. Each test has its own EST label, so their policies do not meet.
 */
class KeyMigrationAcceptanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static EstTestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = new EstTestServer(shared.resolve("server"));
        // The CA devices move to: a P-384 issuing CA under the same root, issuing the same LDevID profile.
        List<CaSpec> cas = new ArrayList<>(HierarchySpec.defaults().cas());
        cas.add(new CaSpec("ldevid-p384", "root", "CN=Hallmark LDevID P-384 CA", KeyAlgorithm.EC_P384, null, null, List.of("ldevid"), null));
        // And a post-quantum one: ML-DSA-65 under the classical root (the device's trust anchor stays the same).
        cas.add(new CaSpec("ldevid-mldsa", "root", "CN=Hallmark LDevID ML-DSA-65 CA", KeyAlgorithm.ML_DSA_65, null, null, List.of("ldevid"), null));
        server.hallmark.init(new HierarchySpec(cas, List.of()), "test");
        for (String label : List.of("mig-move", "mig-refuse", "mig-pq")) {
            new EstLabels(server.hallmark.store(), server.hallmark.sharedConfig()).put(
                    new EnrollmentLabel(label, "ldevid-ca", "ldevid", List.of("idevid-ca"), List.of(), false), "test", Instant.now());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    private Cli.Run agent(String command, String label, Path state, Path[] idevid, String... more) {
        List<String> args = new ArrayList<>(List.of("device", command, "--server", server.url(), "--label", label,
                "--ca-cert", server.ca("root").toString(), "--state", state.toString(), "--json"));
        if (idevid != null) args.addAll(List.of("--idevid-cert", idevid[0].toString(), "--idevid-key", idevid[1].toString()));
        args.addAll(List.of(more));
        Cli.Run r = Cli.raw(args.toArray(String[]::new));
        assertEquals(0, r.exit(), () -> String.join(" ", args) + "\n" + r);
        return r;
    }

    private static long certificateCount() {
        return server.hallmark.store().<Long>read(tx -> tx.certificates().count());
    }

    private static long revocationSequence() {
        return server.hallmark.store().<Long>read(tx -> tx.certificates().revocationSequence());
    }

    private static X509Certificate cert(Path file) throws Exception {
        return Pem.x509(Pem.derOf(Files.readAllBytes(file), "CERTIFICATE"));
    }

    private static CertificateRecord record(X509Certificate c) {
        String serial = Serials.hex(c.getSerialNumber());
        return server.hallmark.store().read(tx -> tx.certificates().find(serial)).orElseThrow();
    }

    /** csrattrs of {@code label} read by curl (with a client certificate if given), decoded by openssl asn1parse. */
    private String csrattrs(String label, Path clientCert, Path clientKey) throws Exception {
        Path curl = Peers.tool("curl");
        Peers.tool("openssl");
        List<String> args = new ArrayList<>(List.of(curl.toString(), "-sS", "-o", "attrs.b64", "-w", "%{http_code}", "--cacert", server.ca("root").toString()));
        if (clientCert != null) args.addAll(List.of("--cert", clientCert.toString(), "--key", clientKey.toString()));
        args.add(server.url() + "/.well-known/est/" + (label.isEmpty() ? "" : label + "/") + "csrattrs");
        Peers.Result r = Peers.run(dir, args);
        assertEquals("200", r.out().strip(), r::all);
        Peers.Result parsed = Peers.run(dir, "sh", "-c", "base64 -d attrs.b64 | openssl asn1parse -inform DER");
        assertEquals(0, parsed.exit(), parsed::all);
        return parsed.out();
    }

    /** Waits until the server (which polls the shared configuration every second) answers csrattrs with {@code curve}. */
    private String awaitCsrattrs(String label, Path clientCert, Path clientKey, String curve) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String attrs = csrattrs(label, clientCert, clientKey);
        while (!attrs.contains(curve) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            attrs = csrattrs(label, clientCert, clientKey);
        }
        return attrs;
    }

    private static JsonNode listed(long id) throws Exception {
        JsonNode listed = JSON.readTree(Cli.ok(server.data(), "policy", "list", "--json").out());
        for (JsonNode n : listed) if (n.get("policy").get("id").asLong() == id) return n;
        throw new AssertionError("policy " + id + " not listed: " + listed);
    }

    @Test
    void aP256DeviceReenrollsIntoTheTargetAlgorithmUnderTheTargetCa() throws Exception {
        Path[] idevid = server.idevid(dir.resolve("devices"), "MIG-1");
        Path state = dir.resolve("state");
        agent("enroll", "mig-move", state, idevid);
        X509Certificate before = cert(state.resolve("current/ldevid.pem"));
        assertEquals("ec-p256", io.hallmark.core.inventory.CertificateKeyAlgorithm.of(before.getEncoded()));
        assertTrue(csrattrs("mig-move", null, null).contains("prime256v1"), "no policy yet: P-256");

        Cli.Run set = Cli.ok(server.data(), "policy", "migrate", "--label", "mig-move", "--to-ca", "ldevid-p384", "--to-algorithm", "ec-p384", "--json");
        long id = JSON.readTree(set.out()).get("id").asLong();

        // csrattrs now asks for P-384, anonymously (the label's policy) and for the device by its LDevID; openssl reads the DER.
        String anonymous = awaitCsrattrs("mig-move", null, null, "secp384r1");
        assertTrue(anonymous.contains("id-ecPublicKey") && anonymous.contains("secp384r1") && anonymous.contains("ecdsa-with-SHA384")
                && anonymous.contains("serialNumber"), anonymous);
        String forDevice = csrattrs("mig-move", state.resolve("current/ldevid.pem"), state.resolve("current/ldevid.key"));
        assertTrue(forDevice.contains("secp384r1") && !forDevice.contains("prime256v1"), forDevice);
        assertTrue(csrattrs("", null, null).contains("prime256v1"), "the default label has no policy");

        long remainingBefore = listed(id).get("remaining").asLong();
        assertEquals(0, listed(id).get("migrated").asLong());
        assertTrue(remainingBefore >= 1);
        long certificates = certificateCount();
        Cli.Run renewed = agent("reenroll", "mig-move", state, null, "--force");
        assertTrue(renewed.err().contains("csrattrs asks for an ec-p384 key") && renewed.err().contains("moving to ec-p384"), renewed::toString);
        X509Certificate after = cert(state.resolve("current/ldevid.pem"));
        assertEquals(certificates + 1, certificateCount());

        // The new LDevID: a P-384 key the agent made, certified by the target CA, same subject; openssl verifies the chain it stored.
        assertEquals(server.hallmark.cas().get("ldevid-p384").x509().getSubjectX500Principal(), after.getIssuerX500Principal());
        assertEquals(before.getSubjectX500Principal(), after.getSubjectX500Principal());
        String text = Peers.run(dir, "openssl", "x509", "-in", state.resolve("current/ldevid.pem").toString(), "-noout", "-text").out();
        assertTrue(text.contains("ASN1 OID: secp384r1") && text.contains("serialNumber = MIG-1"), text);
        Peers.Result verify = Peers.run(dir, "openssl", "verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", server.ca("root").toString(),
                "-untrusted", state.resolve("current/ca-chain.pem").toString(), state.resolve("current/ldevid.pem").toString());
        assertEquals(0, verify.exit(), verify::all);
        String keyPub = Peers.run(dir, "openssl", "pkey", "-in", state.resolve("current/ldevid.key").toString(), "-pubout").out();
        String certPub = Peers.run(dir, "openssl", "x509", "-in", state.resolve("current/ldevid.pem").toString(), "-noout", "-pubkey").out();
        assertEquals(certPub, keyPub);

        // The old certificate is superseded: revoked with that reason, in the transaction that recorded the new one.
        CertificateRecord old = record(before);
        assertNotNull(old.revocation(), "the P-256 LDevID is revoked");
        assertEquals(RevocationReason.superseded, old.revocation().reason());
        assertEquals("ldevid-p384", record(after).caName());

        // The inventory counts it: one device more moved, one fewer left, in 'policy list' and 'inventory overview'. (A label's
        // group is counted by the label's CA and profile: devices of other labels on ldevid-ca count as remaining too.)
        JsonNode mine = listed(id);
        assertEquals(1, mine.get("migrated").asLong(), mine::toString);
        assertEquals(remainingBefore - 1, mine.get("remaining").asLong(), mine::toString);
        JsonNode overview = JSON.readTree(Cli.ok(server.data(), "inventory", "overview", "--json").out());
        assertTrue(overview.get("byAlgorithm").get("ec-p384").asLong() >= 1, overview::toString);
        boolean counted = false;
        for (JsonNode n : overview.get("migrations")) counted |= n.get("policy").get("id").asLong() == id && n.get("migrated").asLong() == 1;
        assertTrue(counted, overview::toString);
        String overviewText = Cli.ok(server.data(), "inventory", "overview").out();
        assertTrue(overviewText.contains("migration " + id) && overviewText.contains("1 migrated, " + (remainingBefore - 1) + " remaining"), overviewText);

        // The moved device keeps renewing on its label, now with its P-384 LDevID; that renewal supersedes nothing.
        agent("reenroll", "mig-move", state, null, "--force");
        X509Certificate third = cert(state.resolve("current/ldevid.pem"));
        assertNotEquals(after.getSerialNumber(), third.getSerialNumber());
        assertEquals(after.getIssuerX500Principal(), third.getIssuerX500Principal());
        assertNull(record(after).revocation(), "a renewal on the target is an ordinary renewal");
        // cacerts for the moved device is its new CA's chain.
        assertEquals(cert(state.resolve("current/ca-chain.pem")).getSubjectX500Principal(), third.getIssuerX500Principal());
    }

    @Test
    void aP256DeviceReenrollsIntoMlDsa65() throws Exception {
        Path[] idevid = server.idevid(dir.resolve("devices"), "MIG-PQ-1");
        Path state = dir.resolve("state");
        agent("enroll", "mig-pq", state, idevid);
        X509Certificate before = cert(state.resolve("current/ldevid.pem"));

        long id = JSON.readTree(Cli.ok(server.data(), "policy", "migrate", "--label", "mig-pq", "--to-ca", "ldevid-mldsa",
                "--to-algorithm", "ml-dsa-65", "--json").out()).get("id").asLong();
        // csrattrs names id-ml-dsa-65 (2.16.840.1.101.3.4.3.18; OpenSSL 3.0 prints it dotted) and nothing else for the key
        String attrs = awaitCsrattrs("mig-pq", state.resolve("current/ldevid.pem"), state.resolve("current/ldevid.key"), "2.16.840.1.101.3.4.3.18");
        assertTrue(attrs.contains("2.16.840.1.101.3.4.3.18") && !attrs.contains("prime256v1"), attrs);

        Cli.Run renewed = agent("reenroll", "mig-pq", state, null, "--force");
        assertTrue(renewed.err().contains("moving to ml-dsa-65"), renewed::toString);
        X509Certificate after = cert(state.resolve("current/ldevid.pem"));
        assertEquals("2.16.840.1.101.3.4.3.18", org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(after.getPublicKey().getEncoded())
                .getAlgorithm().getAlgorithm().getId());
        assertEquals("ML-DSA-65", after.getSigAlgName().toUpperCase(java.util.Locale.ROOT), "signed by the ML-DSA-65 CA");
        assertEquals(server.hallmark.cas().get("ldevid-mldsa").x509().getSubjectX500Principal(), after.getIssuerX500Principal());
        assertEquals(before.getSubjectX500Principal(), after.getSubjectX500Principal());
        // The agent verified the chain with the JDK's PKIX before keeping it (OpenSSL 3.0 knows no ML-DSA); it is the new CA's.
        assertEquals(after.getIssuerX500Principal(), cert(state.resolve("current/ca-chain.pem")).getSubjectX500Principal());
        assertEquals(RevocationReason.superseded, record(before).revocation().reason());
        assertEquals(1, listed(id).get("migrated").asLong());
        assertTrue(JSON.readTree(Cli.ok(server.data(), "inventory", "overview", "--json").out()).get("byAlgorithm").has("ml-dsa-65"));
        Cli.Run again = Cli.raw("device", "reenroll", "--server", server.url(), "--label", "mig-pq",
                "--ca-cert", server.ca("root").toString(), "--state", state.toString(), "--json", "--force");
        // JDK 25's TLS has no ML-DSA signature scheme: the LDevID cannot authenticate its own renewal, and the agent says so
        // (exit 5) instead of sending a request the server can only refuse; the IDevID renews it, onto the same target.
        assertEquals(ExitCodes.CONFLICT, again.exit(), again::toString);
        assertTrue(again.err().contains("has an ml-dsa-65 key, which this agent's TLS (JDK 25) cannot present"), again::toString);
        agent("enroll", "mig-pq", state, idevid);
        X509Certificate third = cert(state.resolve("current/ldevid.pem"));
        assertNotEquals(after.getSerialNumber(), third.getSerialNumber());
        assertEquals(after.getIssuerX500Principal(), third.getIssuerX500Principal());
        assertEquals("ml-dsa-65", io.hallmark.core.inventory.CertificateKeyAlgorithm.of(third.getEncoded()));
    }

    @Test
    void theOldAlgorithmIsRefusedWithTheReasonAndNothingStoredThenRenewedAsBeforeWithinGrace() throws Exception {
        Path[] idevid = server.idevid(dir.resolve("devices"), "MIG-2");
        Path state = dir.resolve("state");
        agent("enroll", "mig-refuse", state, idevid);
        Path ldevid = state.resolve("current/ldevid.pem");
        Path key = state.resolve("current/ldevid.key");
        X509Certificate current = cert(ldevid);
        server.hallmark.migrations().set(new DeviceGroup.Label("mig-refuse"), "ldevid-p384", null, "ec-p384", Duration.ZERO, "test");

        // A device that does not follow csrattrs: openssl makes a P-256 key and curl asks to renew with it.
        Peers.tool("openssl");
        Peers.Result req = Peers.run(dir, "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "p256.key", "-subj", "/CN=test sensor/O=Hallmark Test/serialNumber=MIG-2", "-out", "p256.csr");
        assertEquals(0, req.exit(), req::all);
        // The subject must be the current one exactly: take it from the certificate.
        String subject = Peers.run(dir, "openssl", "x509", "-in", ldevid.toString(), "-noout", "-subject", "-nameopt", "compat").out()
                .strip().replaceFirst("^subject=\\s*", "");
        req = Peers.run(dir, "openssl", "req", "-new", "-key", "p256.key", "-subj", subject, "-out", "p256.csr");
        assertEquals(0, req.exit(), req::all);

        long certificates = certificateCount();
        long audit = server.hallmark.verifyAudit().entries();
        long revocations = revocationSequence();
        String url = server.url() + "/.well-known/est/mig-refuse/simplereenroll";
        EstCurl.Answer refused = EstCurl.post(dir, url, dir.resolve("p256.csr"), ldevid, key, server.ca("root"));
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.body().contains("moves to ec-p384 keys under CA ldevid-p384") && refused.body().contains("this CSR has an ec-p256 key")
                && refused.body().lines().count() == 1, refused.body());
        assertEquals(certificates, certificateCount(), "nothing stored");
        assertEquals(audit, server.hallmark.verifyAudit().entries(), "nothing audited");
        assertEquals(revocations, revocationSequence(), "nothing revoked");
        assertNull(record(current).revocation());

        // A policy with a grace period replaces it: the same request is renewed as before, on the old CA, superseding nothing.
        Cli.ok(server.data(), "policy", "migrate", "--label", "mig-refuse", "--to-ca", "ldevid-p384", "--to-algorithm", "ec-p384", "--grace", "30d");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        EstCurl.Answer renewed = EstCurl.post(dir, url, dir.resolve("p256.csr"), ldevid, key, server.ca("root"));
        while (renewed.status() == 400 && System.nanoTime() < deadline) { // the server sees the CLI's change within its poll interval
            Thread.sleep(200);
            renewed = EstCurl.post(dir, url, dir.resolve("p256.csr"), ldevid, key, server.ca("root"));
        }
        assertEquals(200, renewed.status(), renewed.body());
        assertEquals(server.hallmark.cas().get("ldevid-ca").x509().getSubjectX500Principal().getName(),
                new javax.security.auth.x500.X500Principal(renewed.certificate().getIssuer().getEncoded()).getName());
        assertEquals(certificates + 1, certificateCount());
        assertNull(record(current).revocation(), "renewed as before: the old certificate stays");

        // The policy list shows one policy for the label (the newer replaced the older), and the device as remaining.
        JsonNode listed = JSON.readTree(Cli.ok(server.data(), "policy", "list", "--json").out());
        int forLabel = 0;
        for (JsonNode n : listed) {
            if (n.get("policy").get("members").asText().equals("mig-refuse")) {
                forLabel++;
                assertEquals(2592000, n.get("policy").get("graceSeconds").asLong());
                assertEquals(0, n.get("migrated").asLong(), n::toString);
                assertEquals(1, n.get("remaining").asLong(), n::toString);
            }
        }
        assertEquals(1, forLabel, listed::toString);

        // Removed: the label enrolls as before, and csrattrs says P-256 again.
        long id = server.hallmark.migrations().applying("mig-refuse", "ldevid-ca", "ldevid", null).orElseThrow().id();
        Cli.ok(server.data(), "policy", "remove", Long.toString(id));
        assertTrue(awaitCsrattrs("mig-refuse", null, null, "prime256v1").contains("prime256v1"));
        Cli.Run again = Cli.run(server.data(), "policy", "remove", Long.toString(id));
        assertEquals(4, again.exit(), again::toString);
    }

    @Test
    void aPolicyThatCouldNeverBeServedIsRefused() throws Exception {
        Cli.Run unknownCa = Cli.run(server.data(), "policy", "migrate", "--label", "mig-move", "--to-ca", "no-such-ca", "--to-algorithm", "ec-p384");
        assertEquals(4, unknownCa.exit(), unknownCa::toString);
        Cli.Run unknownAlgorithm = Cli.run(server.data(), "policy", "migrate", "--label", "mig-move", "--to-ca", "ldevid-p384", "--to-algorithm", "ec-p999");
        assertEquals(3, unknownAlgorithm.exit(), unknownAlgorithm::toString);
        assertTrue(unknownAlgorithm.err().contains("unknown key algorithm"), unknownAlgorithm::toString);
        Cli.Run wrongProfile = Cli.run(server.data(), "policy", "migrate", "--label", "mig-move", "--to-ca", "ldevid-p384", "--to-algorithm", "ec-p384",
                "--to-profile", "idevid");
        assertEquals(3, wrongProfile.exit(), wrongProfile::toString);
        assertTrue(wrongProfile.err().contains("does not issue profile idevid"), wrongProfile::toString);
        Cli.Run twoGroups = Cli.run(server.data(), "policy", "migrate", "--label", "mig-move", "--ca", "ldevid-ca", "--to-ca", "ldevid-p384",
                "--to-algorithm", "ec-p384");
        assertEquals(2, twoGroups.exit(), twoGroups::toString);
    }
}
