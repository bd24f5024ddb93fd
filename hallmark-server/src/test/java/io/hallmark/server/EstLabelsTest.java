package io.hallmark.server;

import io.hallmark.core.enroll.EnrollmentLabel;
import io.hallmark.server.est.EstLabels;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Labels: another manufacturer's IDevIDs, and bootstrap with one-time tokens, each only where configured. */
class EstLabelsTest {

    @TempDir
    static Path dir;
    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        Peers.tool("curl");
        Peers.tool("openssl");
        f = ServerFixture.start(dir);
        assertEquals(0, Peers.run(dir, "sh", "-c", """
                openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout partner-ca.key -subj '/CN=Partner IDevID CA' -days 30 \
                  -out partner-ca.pem -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null &&
                openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout partner.key -subj '/CN=cam/serialNumber=PARTNER-1' -out partner.csr 2>/dev/null &&
                openssl x509 -req -in partner.csr -CA partner-ca.pem -CAkey partner-ca.key -CAcreateserial -days 30 -out partner.pem 2>/dev/null
                """).exit());
        EstLabels labels = new EstLabels(f.hallmark.store(), f.hallmark.sharedConfig());
        labels.put(new EnrollmentLabel("partner", "ldevid-ca", "ldevid", List.of("idevid-ca"),
                List.of(Files.readString(dir.resolve("partner-ca.pem"))), false), "test", Instant.now());
        labels.put(new EnrollmentLabel("bootstrap", "ldevid-ca", "ldevid", List.of("idevid-ca"), List.of(), true), "test", Instant.now());
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private static Peers.Result post(String label, Path csr, String... auth) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--cacert", f.root.toString(), "-o", "out.txt", "-D", "headers.txt",
                "-w", "%{http_code}", "-H", "Content-Type: application/pkcs10", "--data-binary", "@" + csr));
        cmd.addAll(List.of(auth));
        cmd.add(f.server.httpsUri() + "/.well-known/est/" + label + "simpleenroll");
        return Peers.run(dir, cmd);
    }

    @Test
    void anImportedManufacturerCaIsTrustedOnlyUnderItsLabel() throws Exception {
        Path csr = f.csrB64(dir.resolve("partner.key"), "/CN=cam", "partner-req");
        String[] cert = {"--cert", dir.resolve("partner.pem").toString(), "--key", dir.resolve("partner.key").toString()};
        assertEquals("403", post("", csr, cert).out(), "the default label does not trust the partner");
        Peers.Result r = post("partner/", csr, cert);
        assertEquals("200", r.out(), () -> r.all());
        assertTrue(f.hallmark.store().read(tx -> tx.devices().find("PARTNER-1")).isPresent(), "the partner device is in the registry");
    }

    @Test
    void oneTimeTokensBootstrapOnceAndOnlyWhereAllowed() throws Exception {
        String token = f.hallmark.credentials().createEnrollmentToken("BOOT-1", Duration.ofHours(1), "test");
        Path key = dir.resolve("boot.key");
        assertEquals(0, Peers.run(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString()).exit());
        Path csr = f.csrB64(key, "/CN=boot", "boot");

        assertEquals("403", post("", csr, "-u", "BOOT-1:" + token).out(), "the default label has bootstrap off");
        assertEquals("403", post("bootstrap/", csr, "-u", "BOOT-2:" + token).out(), "a token is for one device");
        Peers.Result first = post("bootstrap/", csr, "-u", "BOOT-1:" + token);
        assertEquals("200", first.out(), () -> first.all());
        Peers.Result again = post("bootstrap/", csr, "-u", "BOOT-1:" + token);
        assertEquals("401", again.out(), "used tokens are spent");
        assertTrue(Files.readString(dir.resolve("headers.txt")).contains("WWW-Authenticate: Basic"));
        assertEquals("401", post("bootstrap/", csr).out(), "no credentials at all");
        assertEquals(1, f.hallmark.store().read(tx -> tx.certificates().find(
                new io.hallmark.core.store.CertificateQuery("BOOT-1", null, null, null, 10))).size());
    }

    private static boolean usable(String token) {
        String id = token.split("_")[1];
        return f.hallmark.store().read(tx -> tx.credentials().usableEnrollmentToken(id, Instant.now())).isPresent();
    }

    @Test
    void aTokenIsSpentOnlyWithTheCertificateItAuthorized() throws Exception {
        // Refused inside the issuance transaction (the device is blocked): the token stays usable.
        f.hallmark.issuer().issue(new io.hallmark.core.issue.IssuanceRequest("idevid-ca", "idevid",
                io.hallmark.core.crypto.Csrs.create(io.hallmark.core.crypto.KeyAlgorithm.EC_P256.generate(), io.hallmark.core.crypto.KeyAlgorithm.EC_P256,
                        new org.bouncycastle.asn1.x500.X500Name("CN=b")), "BOOT-BLOCKED", null, "test"));
        f.hallmark.revoker().revokeDevice("BOOT-BLOCKED", io.hallmark.core.store.RevocationReason.cessationOfOperation, null, "test");
        String blocked = f.hallmark.credentials().createEnrollmentToken("BOOT-BLOCKED", Duration.ofHours(1), "test");
        Path key = dir.resolve("boot3.key");
        assertEquals(0, Peers.run(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString()).exit());
        Path csr = f.csrB64(key, "/CN=boot", "boot3");
        Peers.Result refused = post("bootstrap/", csr, "-u", "BOOT-BLOCKED:" + blocked);
        assertEquals("403", refused.out(), refused::all);
        assertTrue(usable(blocked), "a refused issuance spends no token");

        // Two requests with one token at once: one certificate, one 401, the token spent once.
        String token = f.hallmark.credentials().createEnrollmentToken("BOOT-RACE", Duration.ofHours(1), "test");
        List<java.util.concurrent.CompletableFuture<Peers.Result>> racing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path own = f.csrB64(key, "/CN=boot", "race" + i);
            racing.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> post("bootstrap/", own, "-u", "BOOT-RACE:" + token, "-o", "/dev/null")));
        }
        List<String> codes = racing.stream().map(c -> c.join().out()).sorted().toList();
        assertEquals(List.of("200", "401", "401", "401"), codes);
        assertFalse(usable(token));
        assertEquals(1, f.hallmark.store().read(tx -> tx.certificates().find(
                new io.hallmark.core.store.CertificateQuery("BOOT-RACE", null, null, null, 10))).size());
    }

    @Test
    void anUnknownLabelIsNotFound() throws Exception {
        Path csr = f.csrB64(dir.resolve("partner.key"), "/CN=cam", "x");
        assertEquals("404", post("nosuchlabel/", csr).out());
    }
}
