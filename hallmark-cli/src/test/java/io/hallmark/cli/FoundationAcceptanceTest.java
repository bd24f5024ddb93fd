package io.hallmark.cli;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.*;

/** Issue #2's acceptance list, run against the CLI with openssl and GnuTLS as independent verifiers. */
class FoundationAcceptanceTest {

    @TempDir
    Path dir;
    Path data;

    @BeforeEach
    void setUp() {
        data = dir.resolve("data");
    }

    private Cli.Run ok(String... args) {
        return Cli.ok(data, args);
    }

    private Path csr(String name, String keySpec, String subject) {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Peers.Result r = Peers.run(dir, "openssl", "req", "-new", "-newkey", keySpec.split(" ")[0],
                keySpec.contains(" ") ? keySpec.split(" ")[1] : "-batch", keySpec.contains(" ") ? keySpec.split(" ")[2] : "-batch",
                "-nodes", "-keyout", key.toString(), "-subj", subject, "-out", csr.toString());
        assertEquals(0, r.exit(), r::all);
        return csr;
    }

    private Path p256Csr(String name, String subject) {
        Peers.tool("openssl");
        return csr(name, "ec -pkeyopt ec_paramgen_curve:P-256", subject);
    }

    @Test
    void quickstartTwiceLeavesOneWorkingInstallation() throws Exception {
        ok("quickstart", "--no-serve");
        String certsBefore = ok("cert", "list", "--json").out();
        byte[] rootBefore = Files.readAllBytes(data.resolve("ca/root.pem"));
        byte[] keyBefore = Files.readAllBytes(data.resolve("demo/DEMO-0001.key"));
        Cli.Run second = ok("quickstart", "--no-serve");
        assertTrue(second.out().contains("(0 new)"), second::toString);
        assertEquals(certsBefore, ok("cert", "list", "--json").out(), "the second run must not add or change certificates");
        assertArrayEquals(rootBefore, Files.readAllBytes(data.resolve("ca/root.pem")));
        assertArrayEquals(keyBefore, Files.readAllBytes(data.resolve("demo/DEMO-0001.key")), "demo keys are never replaced");
        assertTrue(ok("audit", "verify").out().contains("intact"));

        Peers.tool("openssl");
        Peers.Result verify = Peers.run(data, "openssl", "verify", "-x509_strict", "-CAfile", "ca/root.pem",
                "-untrusted", "ca/idevid-ca.pem", "demo/DEMO-0003.pem");
        assertEquals(0, verify.exit(), verify::all);
    }

    @Test
    void idevidFromAnOpensslCsrPassesOpensslAndGnutls() throws Exception {
        ok("init");
        Path csr = p256Csr("dev", "/CN=sensor/O=Example");
        ok("issue", "--ca", "idevid-ca", "--profile", "idevid", "--csr", csr.toString(), "--serial-number", "SN-0042",
                "--hw-type", "1.3.6.1.4.1.99999.1", "--hw-serial", "0a0b0c0d", "--out", dir.resolve("dev.pem").toString());

        Peers.Result verify = Peers.run(dir, "openssl", "verify", "-x509_strict", "-CAfile", data.resolve("ca/root.pem").toString(),
                "-untrusted", data.resolve("ca/idevid-ca.pem").toString(), "dev.pem");
        assertEquals(0, verify.exit(), verify::all);
        assertTrue(verify.out().contains("dev.pem: OK"), verify::all);

        String text = Peers.run(dir, "openssl", "x509", "-in", "dev.pem", "-noout", "-text").out();
        assertTrue(text.contains("serialNumber = SN-0042"), text);
        assertTrue(text.contains("Not After : Dec 31 23:59:59 9999 GMT"), text);
        assertTrue(text.contains("1.3.6.1.5.5.7.8.4"), "hardwareModuleName otherName: " + text);
        assertFalse(text.contains("CA:TRUE"), text);
        assertTrue(text.contains("X509v3 Key Usage: critical"), text);

        String asn1 = Peers.run(dir, "openssl", "asn1parse", "-in", "dev.pem").out();
        assertTrue(asn1.contains("GENERALIZEDTIME   :99991231235959Z"), asn1);
        assertTrue(asn1.contains(":serialNumber"), asn1);
        // The SAN's DER: otherName [0] { OID 1.3.6.1.5.5.7.8.4, [0] { SEQUENCE { hwType, OCTET STRING 0a0b0c0d } } }
        String sanHex = HexFormat.of().formatHex(new byte[]{0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x04}).toUpperCase();
        assertTrue(asn1.contains(sanHex), "hardwareModuleName OID in SAN: " + asn1);
        assertTrue(asn1.contains("04040A0B0C0D"), "hwSerialNum OCTET STRING: " + asn1);

        Peers.tool("certtool");
        Files.writeString(dir.resolve("bundle.pem"), Files.readString(dir.resolve("dev.pem"))
                + Files.readString(data.resolve("ca/idevid-ca.pem")));
        Peers.Result gnutls = Peers.run(dir, "certtool", "--verify", "--load-ca-certificate", data.resolve("ca/root.pem").toString(),
                "--infile", "bundle.pem");
        assertEquals(0, gnutls.exit(), gnutls::all);
        assertTrue(gnutls.all().contains("Verified. The certificate is trusted."), gnutls::all);
        assertFalse(gnutls.all().contains("Not verified"), gnutls::all);
    }

    @Test
    void ldevidHasClientAuthAndAFiniteLife() throws Exception {
        ok("init");
        Path csr = p256Csr("op", "/CN=device-7.ops.example");
        ok("issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--csr", csr.toString(), "--out", dir.resolve("ld.pem").toString());
        Peers.Result verify = Peers.run(dir, "openssl", "verify", "-x509_strict", "-purpose", "sslclient",
                "-CAfile", data.resolve("ca/root.pem").toString(), "-untrusted", data.resolve("ca/ldevid-ca.pem").toString(), "ld.pem");
        assertEquals(0, verify.exit(), verify::all);
        Peers.Result expiry = Peers.run(dir, "openssl", "x509", "-in", "ld.pem", "-noout", "-checkend", String.valueOf(364L * 86400));
        assertEquals(0, expiry.exit(), "valid for a year");
        expiry = Peers.run(dir, "openssl", "x509", "-in", "ld.pem", "-noout", "-checkend", String.valueOf(366L * 86400));
        assertEquals(1, expiry.exit(), "but not longer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ec-p384", "ed25519", "rsa-3072"})
    void everyCaAlgorithmMakesChainsOpensslAndGnutlsAccept(String algorithm) throws Exception {
        Files.writeString(dir.resolve("h.yaml"), """
                cas:
                  - {name: root, subject: "CN=Test Root,O=T", algorithm: %1$s, validity: forever}
                  - {name: idevid-ca, parent: root, subject: "CN=Test IDevID CA,O=T", algorithm: %1$s, validity: forever, profiles: [idevid]}
                  - {name: ldevid-ca, parent: root, subject: "CN=Test LDevID CA,O=T", algorithm: %1$s, validity: 5y, profiles: [ldevid]}
                """.formatted(algorithm));
        ok("init", "--hierarchy", dir.resolve("h.yaml").toString());
        assertTrue(ok("ca", "show", "root", "--json").out().contains("\"algorithm\" : \"" + algorithm + "\""));
        Path csr = p256Csr("d", "/CN=d");
        ok("issue", "--ca", "idevid-ca", "--profile", "idevid", "--csr", csr.toString(), "--serial-number", "A1", "--out", dir.resolve("d.pem").toString());
        ok("ca", "export", "idevid-ca", "--chain", "--out", dir.resolve("chain.pem").toString());
        Peers.Result verify = Peers.run(dir, "openssl", "verify", "-x509_strict", "-CAfile", data.resolve("ca/root.pem").toString(),
                "-untrusted", "chain.pem", "d.pem");
        assertEquals(0, verify.exit(), verify::all);
        Peers.tool("certtool");
        Files.writeString(dir.resolve("bundle.pem"), Files.readString(dir.resolve("d.pem")) + Files.readString(data.resolve("ca/idevid-ca.pem")));
        Peers.Result gnutls = Peers.run(dir, "certtool", "--verify", "--load-ca-certificate", data.resolve("ca/root.pem").toString(), "--infile", "bundle.pem");
        assertEquals(0, gnutls.exit(), gnutls::all);
    }

    @Test
    void aHierarchyWhoseIdevidCaExpiresIsRefusedBeforeAnythingIsCreated() throws Exception {
        Files.writeString(dir.resolve("h.yaml"), """
                cas:
                  - {name: root, subject: "CN=Test Root", validity: 20y}
                  - {name: idevid-ca, parent: root, subject: "CN=Test IDevID CA", validity: forever, profiles: [idevid]}
                """);
        Cli.Run r = Cli.run(data, "init", "--hierarchy", dir.resolve("h.yaml").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
        assertTrue(r.err().contains("validity: forever"), r::toString);
        Files.writeString(dir.resolve("bad.yaml"), "cas:\n  - {name: root, subject: \"CN=R\", algorithm: dsa-512}\n");
        Cli.Run bad = Cli.run(data, "init", "--hierarchy", dir.resolve("bad.yaml").toString());
        assertEquals(ExitCodes.BAD_INPUT, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("unknown key algorithm 'dsa-512'"), bad::toString);
        Cli.Run none = Cli.run(data, "ca", "list");
        assertTrue(none.out().lines().count() <= 1, "no CA was created: " + none);
    }

    @Test
    void badRequestsFailWithOneLineAndStoreNothing() throws Exception {
        ok("init");
        String before = ok("cert", "list", "--json").out();
        Path good = p256Csr("good", "/CN=x");
        Path weak = csr("weak", "rsa:1024", "/CN=weak");
        byte[] der = Peers.run(dir, "openssl", "req", "-in", good.toString(), "-outform", "DER").out().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path derFile = dir.resolve("good.der");
        assertEquals(0, Peers.run(dir, "openssl", "req", "-in", good.toString(), "-outform", "DER", "-out", derFile.toString()).exit());
        der = Files.readAllBytes(derFile);
        der[der.length - 3] ^= 0x01; // inside the signature
        Path broken = Files.write(dir.resolve("broken.der"), der);
        Path garbage = Files.write(dir.resolve("garbage.bin"), "definitely not a CSR \u0000\u0001".getBytes());

        String[][] cases = {
                {"--ca", "idevid-ca", "--profile", "idevid", "--csr", broken.toString(), "--serial-number", "S1"},
                {"--ca", "idevid-ca", "--profile", "idevid", "--csr", weak.toString(), "--serial-number", "S1"},
                {"--ca", "idevid-ca", "--profile", "idevid", "--csr", garbage.toString(), "--serial-number", "S1"},
                {"--ca", "idevid-ca", "--profile", "no-such-profile", "--csr", good.toString(), "--serial-number", "S1"},
                {"--ca", "no-such-ca", "--profile", "idevid", "--csr", good.toString(), "--serial-number", "S1"},
                {"--ca", "idevid-ca", "--profile", "idevid", "--csr", good.toString()}, // IDevID without a serial number
                {"--ca", "ldevid-ca", "--profile", "idevid", "--csr", good.toString(), "--serial-number", "S1"},
        };
        String[] expected = {"proof of possession", "1024 bits is too weak", "not a PKCS#10", "unknown profile", "no CA named",
                "serial number", "does not issue profile idevid"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 3];
            args[0] = "issue";
            System.arraycopy(cases[i], 0, args, 1, cases[i].length);
            args[args.length - 2] = "--out";
            args[args.length - 1] = dir.resolve("never.pem").toString();
            Cli.Run r = Cli.run(data, args);
            String why = expected[i];
            assertNotEquals(0, r.exit(), () -> why + ": " + r);
            assertEquals(1, r.err().lines().count(), () -> "one line: " + r);
            assertTrue(r.err().startsWith("hallmark: ") && r.err().contains(why), () -> why + ": " + r);
            assertFalse(Files.exists(dir.resolve("never.pem")), "nothing written for: " + why);
        }
        assertEquals(before, ok("cert", "list", "--json").out(), "no certificate was recorded");
        assertTrue(ok("audit", "verify").out().contains("intact"));
    }

    @Test
    void sameDeviceSameKeyReplaysAndANewKeyIsRefused() throws Exception {
        ok("init");
        Path csr = p256Csr("a", "/CN=a/serialNumber=DEV-1");
        ok("issue", "--ca", "idevid-ca", "--profile", "idevid", "--csr", csr.toString(), "--out", dir.resolve("1.pem").toString());
        ok("issue", "--ca", "idevid-ca", "--profile", "idevid", "--csr", csr.toString(), "--out", dir.resolve("2.pem").toString());
        assertArrayEquals(Files.readAllBytes(dir.resolve("1.pem")), Files.readAllBytes(dir.resolve("2.pem")));
        Path other = p256Csr("b", "/CN=a/serialNumber=DEV-1");
        Cli.Run r = Cli.run(data, "issue", "--ca", "idevid-ca", "--profile", "idevid", "--csr", other.toString(), "--out", dir.resolve("3.pem").toString());
        assertEquals(ExitCodes.CONFLICT, r.exit(), r::toString);
        assertTrue(r.err().contains("already has an idevid certificate"), r::toString);
        assertEquals(1, ok("cert", "list", "--device", "DEV-1", "--json").out().split("\"serial\"").length - 1);
    }

    @Test
    void tamperingWithOneAuditByteIsDetectedAndNamed() throws Exception {
        ok("quickstart", "--no-serve", "--devices", "2");
        assertEquals(0, Cli.run(data, "audit", "verify").exit());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("hallmark.db"))) {
            c.createStatement().execute("DROP TRIGGER audit_log_append_only_u"); // what an attacker with file access does first
            c.createStatement().execute("UPDATE audit_log SET subject = substr(subject, 1, length(subject) - 1) || "
                    + "(CASE WHEN substr(subject, -1) = 'a' THEN 'b' ELSE 'a' END) WHERE seq = 3");
        }
        Cli.Run r = Cli.run(data, "audit", "verify");
        assertEquals(ExitCodes.AUDIT_BROKEN, r.exit(), r::toString);
        assertTrue(r.err().contains("entry 3"), r::toString);
        assertTrue(Cli.run(data, "audit", "verify", "--json").out().contains("\"brokenAt\" : 3"));
    }

    @Test
    void deletingTheLastAuditEntryIsDetectedAndNamed() throws Exception {
        ok("init");
        long entries;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("hallmark.db"))) {
            var rs = c.createStatement().executeQuery("SELECT MAX(seq) FROM audit_log");
            assertTrue(rs.next());
            entries = rs.getLong(1);
            rs.close();
            assertTrue(entries > 1, "init audits each CA");
            c.createStatement().execute("DROP TRIGGER audit_log_append_only_d"); // what an attacker with file access does first
            assertEquals(1, c.createStatement().executeUpdate("DELETE FROM audit_log WHERE seq = " + entries));
        }
        Cli.Run r = Cli.run(data, "audit", "verify");
        assertEquals(ExitCodes.AUDIT_BROKEN, r.exit(), r::toString);
        assertTrue(r.err().contains("entry " + entries + " is missing"), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
    }

    @Test
    void certVerifyChecksEveryStoredCertificateAndFindsATamperedOne() throws Exception {
        ok("quickstart", "--no-serve", "--devices", "3");
        assertTrue(ok("cert", "verify").out().contains("all signed by their CA"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("hallmark.db"))) {
            c.createStatement().execute("DROP TRIGGER certificates_append_only_u");
            var rs = c.createStatement().executeQuery("SELECT serial, der FROM certificates WHERE device_id = 'DEMO-0002'");
            assertTrue(rs.next());
            String serial = rs.getString(1);
            byte[] der = rs.getBytes(2);
            der[der.length - 10] ^= 0x01; // inside the signature
            var update = c.prepareStatement("UPDATE certificates SET der = ? WHERE serial = ?");
            update.setBytes(1, der);
            update.setString(2, serial);
            assertEquals(1, update.executeUpdate());
            rs.close();
            Cli.Run r = Cli.run(data, "cert", "verify", "--ca", "idevid-ca");
            assertEquals(ExitCodes.AUDIT_BROKEN, r.exit(), r::toString);
            assertTrue(r.err().contains(serial), r::toString);
        }
    }

    @Test
    void revocationIsRecordedAndAudited() throws Exception {
        ok("quickstart", "--no-serve", "--devices", "1");
        String serial = Files.readString(data.resolve("demo/DEMO-0001.pem")).isEmpty() ? null
                : ok("cert", "list", "--device", "DEMO-0001", "--json").out().replaceAll("(?s).*\"serial\" : \"([0-9a-f]+)\".*", "$1");
        ok("revoke", serial, "--reason", "keyCompromise");
        assertTrue(ok("cert", "show", serial).out().contains("revoked"));
        Cli.Run again = Cli.run(data, "revoke", serial, "--reason", "keyCompromise");
        assertEquals(ExitCodes.CONFLICT, again.exit());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(data, "revoke", serial, "--reason", "becauseISaidSo").exit());
        assertEquals(ExitCodes.NOT_FOUND, Cli.run(data, "revoke", "abcdef", "--reason", "superseded").exit());
        assertTrue(ok("audit", "list", "--json").out().contains("cert.revoke"));
    }

    @Test
    void dataOptionWorksBeforeAndAfterTheSubcommand() {
        ok("init");
        Cli.Run after = Cli.raw("ca", "list", "--data", data.toString());
        assertEquals(0, after.exit(), after::toString);
        assertTrue(after.out().contains("idevid-ca"));
        Cli.Run missing = Cli.raw("--data", dir.resolve("nothing-here").toString(), "cert", "list");
        assertEquals(ExitCodes.NOT_FOUND, missing.exit());
        assertTrue(missing.err().contains("hallmark init"), missing::toString);
        assertFalse(Files.exists(dir.resolve("nothing-here").resolve("vault.pass")), "a read command creates nothing");
    }

    @Test
    void runsOnPostgresql() throws Exception {
        try (var pg = io.hallmark.testing.TestPostgres.create()) {
            Cli.Run r = Cli.run(data, "--db", pg.url(), "quickstart", "--no-serve", "--devices", "2");
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().contains("postgresql"), r::toString);
            Cli.Run again = Cli.run(data, "--db", pg.url(), "quickstart", "--no-serve", "--devices", "2");
            assertTrue(again.out().contains("(0 new)"), again::toString);
            assertEquals(0, Cli.run(data, "--db", pg.url(), "audit", "verify").exit());
            assertTrue(Cli.run(data, "--db", pg.url(), "cert", "list").out().contains("DEMO-0002"));
        }
    }
}
