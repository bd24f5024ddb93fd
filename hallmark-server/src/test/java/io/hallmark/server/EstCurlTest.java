package io.hallmark.server;

import io.hallmark.core.store.RevocationReason;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Issue #3's acceptance: EST with curl and openssl as the device, and every refusal with its status. */
class EstCurlTest {

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

    private static Peers.Result curl(String... args) {
        return f.curl(args);
    }

    private static String body() throws Exception {
        return f.body();
    }

    private static Peers.Result enroll(Path[] client, Path csr, String contentType) {
        List<String> args = new ArrayList<>();
        if (client != null) args.addAll(List.of("--cert", client[0].toString(), "--key", client[1].toString()));
        args.addAll(List.of("-H", "Content-Type: " + contentType, "--data-binary", "@" + csr, f.est("simpleenroll")));
        return curl(args.toArray(String[]::new));
    }

    @Test
    void curlEnrollsAnLdevidThatOpensslVerifiesAgainstCacerts() throws Exception {
        Path[] dev = f.idevid("CURL-1");
        Path csr = f.csrB64(dev[1], "/CN=sensor", "curl1");
        Peers.Result r = enroll(dev, csr, "application/pkcs10");
        String reply = body();
        assertEquals("200", r.out(), () -> r.all() + reply);
        Files.writeString(dir.resolve("ld.b64"), reply);
        Peers.Result certs = Peers.run(dir, "sh", "-c", "base64 -d ld.b64 | openssl pkcs7 -inform DER -print_certs -out ld.pem");
        assertEquals(0, certs.exit(), certs::all);

        assertEquals("200", curl(f.est("cacerts")).out());
        Files.writeString(dir.resolve("cacerts.b64"), body());
        Peers.Result chain = Peers.run(dir, "sh", "-c", "base64 -d cacerts.b64 | openssl pkcs7 -inform DER -print_certs -out cacerts.pem");
        assertEquals(0, chain.exit(), chain::all);
        Peers.Result verify = Peers.run(dir, "openssl", "verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", f.root.toString(),
                "-untrusted", "cacerts.pem", "ld.pem");
        assertEquals(0, verify.exit(), verify::all);
        String text = Peers.run(dir, "openssl", "x509", "-in", "ld.pem", "-noout", "-subject", "-issuer").out();
        assertTrue(text.contains("serialNumber = CURL-1"), text);
        assertTrue(text.contains("LDevID"), text);
        assertEquals(1, f.hallmark.store().read(tx -> tx.certificates().find(new io.hallmark.core.store.CertificateQuery("CURL-1", "ldevid-ca", "ldevid", null, 10))).size());
    }

    /** serverkeygen has its own test, EstServerKeygenTest. */
    @Test
    void csrattrsFollowsTheRfc() throws Exception {
        assertEquals("200", curl(f.est("csrattrs")).out());
        Files.writeString(dir.resolve("attrs.b64"), body());
        String attrs = Peers.run(dir, "sh", "-c", "base64 -d attrs.b64 | openssl asn1parse -inform DER").out();
        assertTrue(attrs.contains("prime256v1") && attrs.contains("serialNumber"), attrs);
    }

    @Test
    void refusalsCarryTheRightStatusAndChangeNothing() throws Exception {
        Path[] dev = f.idevid("REFUSE-1");
        Path[] victim = f.idevid("REFUSE-2");
        Path[] revoked = f.idevid("REFUSE-3");
        f.hallmark.revoker().revoke(f.hallmark.store().read(tx -> tx.devices().identity("REFUSE-3", "idevid")).orElseThrow(),
                RevocationReason.keyCompromise, null, "test");
        // A device with an IDevID from a CA Hallmark does not trust: openssl plays the rogue manufacturer.
        assertEquals(0, Peers.run(dir, "sh", "-c", """
                openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout rogue-ca.key -subj /CN=Rogue -days 2 -out rogue-ca.pem \
                 -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null &&
                openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout rogue.key -subj /CN=x/serialNumber=REFUSE-1 -out rogue.csr 2>/dev/null &&
                openssl x509 -req -in rogue.csr -CA rogue-ca.pem -CAkey rogue-ca.key -CAcreateserial -days 2 -out rogue.pem 2>/dev/null
                """).exit());
        Path[] rogue = {dir.resolve("rogue.pem"), dir.resolve("rogue.key")};
        Path goodCsr = f.csrB64(dev[1], "/CN=sensor", "good");
        Path otherDevice = f.csrB64(dev[1], "/CN=sensor/serialNumber=REFUSE-2", "other");
        Path garbage = Files.writeString(dir.resolve("garbage.b64"), java.util.Base64.getEncoder().encodeToString("not a CSR at all".getBytes()));
        Path notBase64 = Files.writeString(dir.resolve("nb64.txt"), "%%% not base64 %%%");
        Path oversized = Files.writeString(dir.resolve("big.b64"), "QUFB".repeat(300_000));

        long certs = f.certificates();
        long audit = f.auditEntries();
        long devices = f.hallmark.store().read(tx -> tx.devices().all(100_000)).size();
        record Case(String name, Path[] client, Path csr, String type, String status, String reason) { }
        List<Case> cases = List.of(
                new Case("no client certificate", null, goodCsr, "application/pkcs10", "403", "IDevID"),
                new Case("IDevID from an untrusted CA", rogue, f.csrB64(rogue[1], "/CN=x", "rogue"), "application/pkcs10", "403", "trusted manufacturer"),
                new Case("revoked IDevID", revoked, f.csrB64(revoked[1], "/CN=x", "rev"), "application/pkcs10", "403", "revoked"),
                new Case("another device's identity", dev, otherDevice, "application/pkcs10", "403", "REFUSE-2"),
                new Case("malformed base64", dev, notBase64, "application/pkcs10", "400", "not base64"),
                new Case("not a CSR", dev, garbage, "application/pkcs10", "400", "PKCS#10"),
                new Case("oversized body", dev, oversized, "application/pkcs10", "413", "large"),
                new Case("wrong content type", dev, goodCsr, "application/json", "415", "application/pkcs10"));
        for (Case c : cases) {
            Peers.Result r = enroll(c.client(), c.csr(), c.type());
            String reply = body();
            assertEquals(c.status(), r.out(), () -> c.name() + ": " + reply + r.err());
            assertTrue(reply.contains(c.reason()), () -> c.name() + ": " + reply);
            assertEquals(1, reply.strip().lines().count(), () -> c.name() + " has a one-line reason: " + reply);
        }
        assertEquals(certs, f.certificates(), "no certificate was issued");
        assertEquals(audit, f.auditEntries(), "nothing was audited as done");
        assertEquals(devices, f.hallmark.store().read(tx -> tx.devices().all(100_000)).size(), "the registry is unchanged");
        assertFalse(victim[0].toString().isEmpty());
    }

    @Test
    void reenrollmentNeedsTheCurrentLdevidAndKeepsTheSubject() throws Exception {
        Path[] dev = f.idevid("RE-1");
        assertEquals("200", enroll(dev, f.csrB64(dev[1], "/CN=sensor", "re1"), "application/pkcs10").out());
        Files.writeString(dir.resolve("re1.p7.b64"), body());
        assertEquals(0, Peers.run(dir, "sh", "-c", "base64 -d re1.p7.b64 | openssl pkcs7 -inform DER -print_certs -out re1-ld.pem").exit());
        Path[] ldevid = {dir.resolve("re1-ld.pem"), dev[1]};

        Peers.Result same = curl("--cert", ldevid[0].toString(), "--key", ldevid[1].toString(), "-H", "Content-Type: application/pkcs10",
                "--data-binary", "@" + f.csrB64(dev[1], "/CN=sensor/serialNumber=RE-1", "re2"), f.est("simplereenroll"));
        assertEquals("200", same.out(), () -> same.all());

        Peers.Result changed = curl("--cert", ldevid[0].toString(), "--key", ldevid[1].toString(), "-H", "Content-Type: application/pkcs10",
                "--data-binary", "@" + f.csrB64(dev[1], "/CN=somebody-else/serialNumber=RE-1", "re3"), f.est("simplereenroll"));
        assertEquals("403", changed.out());

        Peers.Result withIdevid = curl("--cert", dev[0].toString(), "--key", dev[1].toString(), "-H", "Content-Type: application/pkcs10",
                "--data-binary", "@" + f.csrB64(dev[1], "/CN=sensor/serialNumber=RE-1", "re4"), f.est("simplereenroll"));
        assertEquals("403", withIdevid.out(), "an IDevID is not the certificate being renewed");
    }
}
