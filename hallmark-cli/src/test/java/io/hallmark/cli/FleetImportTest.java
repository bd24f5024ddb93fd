package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.PrivateKeyFiles;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.server.HallmarkServer;
import io.hallmark.store.JdbcStore;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet made by an OpenSSL CA moves in: 1,000 device certificates imported with their CA, one revoked through
 * Hallmark shows revoked in openssl's OCSP check, and one device re-enrolls over EST (curl, real HTTPS on a loopback
 * port) with its old certificate and gets a Hallmark LDevID, only on a label where the operator accepted that CA.
 */
class FleetImportTest {

    @TempDir
    Path dir;
    Path data;

    @BeforeEach
    void setUp() {
        data = dir.resolve("data");
        Cli.ok(data, "init");
        Peers.tool("openssl");
    }

    private void openssl(String... args) {
        Peers.Result r = Peers.run(dir, Stream.concat(Stream.of("openssl"), Stream.of(args)).toList());
        assertEquals(0, r.exit(), r::all);
    }

    /** The platform's CA, made by openssl, and one device certificate openssl signs with it (its own key). */
    private void opensslCaAndDevice(String ca, Path fleet, String device) {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca + ".key", "-out", ca + ".pem",
                "-subj", "/CN=" + ca + " Cloud Fleet CA/O=Example", "-days", "3650", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", device + ".key", "-out", device + ".csr",
                "-subj", "/CN=" + device + "/O=Example");
        openssl("x509", "-req", "-in", device + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-set_serial", "0x7a0001", "-days", "365",
                "-out", fleet.resolve(device + ".pem").toString());
    }

    /** {@code count} more device certificates signed with the openssl CA's key (BouncyCastle, for speed), thing-0001 up. */
    private void moreDevices(String ca, Path fleet, int count) throws Exception {
        PrivateKey caKey = PrivateKeyFiles.read(Files.readAllBytes(dir.resolve(ca + ".key")), null, ca + ".key");
        X509CertificateHolder caCert = Pem.holder(Pem.derOf(Files.readAllBytes(dir.resolve(ca + ".pem")), "CERTIFICATE"));
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair shared = ec.generateKeyPair();
        Files.writeString(dir.resolve("shared.key"), io.hallmark.core.crypto.Csrs.privateKeyPem(shared));
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(caKey);
        Instant now = Instant.now();
        for (int i = 1; i <= count; i++) {
            String name = "thing-%04d".formatted(i);
            var cert = new JcaX509v3CertificateBuilder(caCert.getSubject(), BigInteger.valueOf(0x100000 + i), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(365))), new X500Name("CN=" + name + ",O=Example"), shared.getPublic()).build(signer);
            Files.writeString(fleet.resolve(name + ".pem"), Pem.certificate(cert.getEncoded()));
        }
    }

    @Test
    void aThousandOpensslCertificatesMoveInOneIsRevokedInOcspAndOneReenrollsOverEstOnlyWhereAccepted() throws Exception {
        Peers.tool("curl");
        Path fleet = Files.createDirectories(dir.resolve("fleet"));
        opensslCaAndDevice("cloud", fleet, "thing-1000");
        moreDevices("cloud", fleet, 999);

        long started = System.nanoTime();
        Cli.Run imported = Cli.run(data, "import", "fleet", "--certs", fleet.toString(), "--ca-cert", dir.resolve("cloud.pem").toString(),
                "--ca-name", "cloud-ca", "--ca-key", dir.resolve("cloud.key").toString());
        System.out.printf("import fleet: 1,000 openssl-CA certificates in %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertEquals(0, imported.exit(), imported::toString);
        assertTrue(imported.out().contains("issuing CA: cloud-ca") && imported.out().contains("key in the vault"), imported::toString);
        assertTrue(imported.out().contains("imported 1000, already present 0, failed 0"), imported::toString);
        assertTrue(Cli.ok(data, "import", "fleet", "--certs", fleet.toString(), "--ca-cert", dir.resolve("cloud.pem").toString())
                .out().contains("imported 0, already present 1000"), "again: the CA is found by its certificate, the devices are there");
        String list = Cli.ok(data, "cert", "list", "--ca", "cloud-ca", "--profile", "imported", "--limit", "2000", "--json").out();
        assertEquals(1000, list.split("\"serial\"").length - 1);
        assertTrue(Cli.ok(data, "cert", "list", "--device", "thing-0042").out().contains("10002a "), "device id from the CN");

        Cli.ok(data, "revoke", "100007", "--reason", "keyCompromise"); // thing-0007
        Path thing7 = fleet.resolve("thing-0007.pem");
        Path thing8 = fleet.resolve("thing-0008.pem");
        Path old = fleet.resolve("thing-1000.pem");
        Path ca = dir.resolve("cloud.pem");
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        opensslCaAndDevice("other", other, "stranger"); // a CA nobody accepted
        // A certificate of the accepted CA that was never imported: the label accepts imported ones only.
        openssl("x509", "-req", "-in", "thing-1000.csr", "-CA", "cloud.pem", "-CAkey", "cloud.key", "-set_serial", "0x7a0002", "-days", "30",
                "-out", "unlisted.pem");

        // The operator's explicit choice: a label that accepts certificates imported from cloud-ca (the default one does not).
        Cli.Run label = Cli.ok(data, "est", "label", "set", "--name", "migrate", "--accept-imported", "cloud-ca");
        assertTrue(label.out().contains("imported certificates from cloud-ca"), label::toString);
        Cli.Run own = Cli.run(data, "est", "label", "set", "--name", "oops", "--accept-imported", "ldevid-ca");
        assertEquals(ExitCodes.BAD_INPUT, own.exit(), own::toString);
        assertTrue(Cli.ok(data, "est", "label", "list", "--json").out().contains("\"importedIssuers\" : [ \"cloud-ca\" ]"));
        Path dataDir = data;
        try (Hallmark hallmark = new Hallmark(JdbcStore.open(dataDir, null),
                new KeyVaults(new SoftwareKeyVault(dataDir.resolve("keys"), () -> Passphrase.resolve(dataDir, false))), Clock.systemUTC());
             HallmarkServer server = HallmarkServer.start(hallmark, new HallmarkServer.Options("127.0.0.1", 0, "127.0.0.1", 0,
                     List.of("127.0.0.1"), null))) {
            String http = server.httpUri().toString().replaceAll("/$", "");
            assertTrue(ServeProcess.ocspStatus(http, dir, ca, ca, thing7).startsWith("revoked"));
            assertTrue(ServeProcess.ocspStatus(http, dir, ca, ca, thing8).startsWith("good"));
            // The CA was taken over with its key, so its CRL is signed here too and lists the revocation.
            Peers.Result crl = Peers.run(dir, "curl", "-sS", "-o", "cloud-ca.crl", "-w", "%{http_code}", http + "/crl/cloud-ca.crl");
            assertEquals("200", crl.out(), crl::all);
            Peers.Result crlText = Peers.run(dir, "openssl", "crl", "-inform", "DER", "-in", "cloud-ca.crl", "-CAfile", "cloud.pem", "-noout", "-text");
            assertEquals(0, crlText.exit(), crlText::all);
            assertTrue(crlText.all().contains("verify OK") && crlText.out().contains("Serial Number: 100007"), crlText::all);

            // A CSR for a new key, with the subject the device has now (RFC 7030 re-enrollment keeps it).
            openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "new.key", "-out", "new.csr",
                    "-subj", "/CN=thing-1000/O=Example");
            String base = server.httpsUri().resolve("/.well-known/est/").toString();
            // Not implicit: the default label refuses the imported certificate.
            assertRefused(est(base + "simplereenroll", old, dir.resolve("thing-1000.key")), "current certificate from ldevid-ca");
            X509CertificateHolder ldevid = est(base + "migrate/simplereenroll", old, dir.resolve("thing-1000.key")).certificate();
            Files.writeString(dir.resolve("ldevid.pem"), Pem.certificate(ldevid.getEncoded()));
            Peers.Result chain = Peers.run(dir, "openssl", "verify", "-CAfile", data.resolve("ca/root.pem").toString(), "-untrusted",
                    data.resolve("ca/ldevid-ca.pem").toString(), "ldevid.pem");
            assertEquals(0, chain.exit(), chain::all);
            assertTrue(ldevid.getSubject().toString().contains("CN=thing-1000") && ldevid.getSubject().toString().contains("SERIALNUMBER=thing-1000"),
                    ldevid.getSubject()::toString);

            // Re-enrollment keeps the subject; a first enrollment (simpleenroll) names the subject in the CSR, under the device's serialNumber.
            openssl("req", "-new", "-key", "new.key", "-out", "other-subject.csr", "-subj", "/CN=someone-else/O=Example");
            EstCurl.Answer renamed = EstCurl.post(dir, base + "migrate/simplereenroll", dir.resolve("other-subject.csr"), thing8,
                    dir.resolve("shared.key"), data.resolve("ca/root.pem"));
            assertRefused(renamed, "re-enrollment keeps the subject");
            openssl("req", "-new", "-key", "new.key", "-out", "eight.csr", "-subj", "/CN=pump-8/O=Example");
            X509CertificateHolder eight = EstCurl.post(dir, base + "migrate/simpleenroll", dir.resolve("eight.csr"), thing8,
                    dir.resolve("shared.key"), data.resolve("ca/root.pem")).certificate();
            assertTrue(eight.getSubject().toString().contains("CN=pump-8") && eight.getSubject().toString().contains("SERIALNUMBER=thing-0008"),
                    eight.getSubject()::toString);

            // The revoked one, one never imported, and one of a CA nobody accepted are refused, each saying why.
            String migrate = base + "migrate/simplereenroll";
            assertRefused(est(migrate, thing7, dir.resolve("shared.key")), "imported certificate 100007 is revoked");
            assertRefused(est(migrate, dir.resolve("unlisted.pem"), dir.resolve("thing-1000.key")), "was not imported from cloud-ca");
            assertRefused(est(migrate, other.resolve("stranger.pem"), dir.resolve("stranger.key")), "current certificate from ldevid-ca");
        }
        String device = Cli.ok(data, "cert", "list", "--device", "thing-1000").out();
        assertTrue(device.contains("imported") && device.contains("ldevid"), device);
        assertEquals(0, Cli.run(data, "audit", "verify").exit());
    }

    private EstCurl.Answer est(String url, Path cert, Path key) throws Exception {
        return EstCurl.post(dir, url, dir.resolve("new.csr"), cert, key, data.resolve("ca/root.pem"));
    }

    private static void assertRefused(EstCurl.Answer answer, String why) {
        assertEquals(403, answer.status(), answer::body);
        assertTrue(answer.body().contains(why), answer::body);
    }

    @Test
    void aCaImportedWithoutItsKeyInventoriesAndBlocksItsDevicesButSignsNothing() throws Exception {
        Path fleet = Files.createDirectories(dir.resolve("fleet"));
        opensslCaAndDevice("cloud", fleet, "thing-1000");
        moreDevices("cloud", fleet, 2);
        Files.writeString(dir.resolve("fleet.csv"), "file,device\nfleet/thing-0001.pem,SENSOR-1\nfleet/thing-0002.pem\nfleet/thing-1000.pem\n");
        Cli.Run imported = Cli.run(data, "import", "fleet", "--csv", dir.resolve("fleet.csv").toString(), "--ca-cert", dir.resolve("cloud.pem").toString(),
                "--ca-name", "cloud-ca", "--json");
        assertEquals(0, imported.exit(), imported::toString);
        assertTrue(imported.err().contains("certificate only") && imported.out().contains("\"imported\" : 3"), imported::toString);
        assertTrue(Cli.ok(data, "cert", "list", "--device", "SENSOR-1").out().contains("imported"), "device id from the CSV first");
        assertTrue(Cli.ok(data, "cert", "list", "--device", "thing-0002").out().contains("imported"), "else from the CN");
        String shown = Cli.ok(data, "ca", "show", "cloud-ca").out();
        assertTrue(shown.contains("none:cloud-ca") && shown.contains("imported as a certificate only"), shown);

        // Nothing is signed for it: no verification certificate, no CRL, no OCSP answer; but its devices can be revoked.
        Cli.Run register = Cli.run(data, "register", "aws", "--ca", "cloud-ca", "--registration-code", PlatformRegistrationTest.AWS_CODE,
                "--out", dir.resolve("kit").toString());
        assertEquals(ExitCodes.BAD_INPUT, register.exit(), register::toString);
        assertTrue(register.err().contains("imported as a certificate only"), register::toString);
        Cli.ok(data, "revoke", "100001", "--reason", "superseded");
        Path dataDir = data;
        try (Hallmark hallmark = new Hallmark(JdbcStore.open(dataDir, null),
                new KeyVaults(new SoftwareKeyVault(dataDir.resolve("keys"), () -> Passphrase.resolve(dataDir, false))), Clock.systemUTC());
             HallmarkServer server = HallmarkServer.start(hallmark, new HallmarkServer.Options("127.0.0.1", 0, "127.0.0.1", 0,
                     List.of("127.0.0.1"), null))) {
            String http = server.httpUri().toString().replaceAll("/$", "");
            Peers.Result crl = Peers.run(dir, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", http + "/crl/cloud-ca.crl");
            assertEquals("404", crl.out(), crl::all);
            Peers.Result ocsp = Peers.run(dir, "openssl", "ocsp", "-url", http + "/ocsp", "-issuer", "cloud.pem", "-cert",
                    fleet.resolve("thing-0001.pem").toString(), "-no_nonce");
            assertTrue(ocsp.all().contains("unauthorized"), ocsp::all);
        }
    }

    @Test
    void anIssuingCaExportedWithoutItsRootOrKeyIsWhereHallmarksChainEnds() throws Exception {
        Path fleet = Files.createDirectories(dir.resolve("fleet"));
        opensslCaAndDevice("cloud-root", fleet, "unused");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "issuing.key", "-out", "issuing.csr",
                "-subj", "/CN=Cloud Issuing CA/O=Example");
        Files.writeString(dir.resolve("issuing.ext"), "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n");
        openssl("x509", "-req", "-in", "issuing.csr", "-CA", "cloud-root.pem", "-CAkey", "cloud-root.key", "-set_serial", "0x0c01", "-days", "365",
                "-extfile", "issuing.ext", "-out", "issuing.pem");
        Files.delete(fleet.resolve("unused.pem"));
        moreDevices("issuing", fleet, 3);
        Cli.Run imported = Cli.run(data, "import", "fleet", "--certs", fleet.toString(), "--ca-cert", dir.resolve("issuing.pem").toString(),
                "--ca-name", "cloud-issuing");
        assertEquals(0, imported.exit(), imported::toString);
        assertTrue(imported.out().contains("imported 3, already present 0, failed 0"), imported::toString);
        // Every record Hallmark holds still verifies against the CA it names: the issuing CA's own certificate is not one of them.
        Cli.Run verify = Cli.run(data, "cert", "verify");
        assertEquals(0, verify.exit(), verify::toString);
        // With a parent named, it must really be signed by it.
        Cli.Run wrongParent = Cli.run(data, "import", "fleet", "--certs", fleet.toString(), "--ca-cert", dir.resolve("cloud-root.pem").toString(),
                "--ca-name", "cloud-root", "--ca-parent", "ldevid-ca");
        assertEquals(ExitCodes.BAD_INPUT, wrongParent.exit(), wrongParent::toString);
        assertTrue(wrongParent.err().contains("not signed by CA ldevid-ca"), wrongParent::toString);
    }
}
