package io.hallmark.cli;

import io.hallmark.core.audit.AuditChain;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Taking over an OpenSSL-made CA and its certificates, and signed audit checkpoints, with openssl as the independent peer. */
class ImportAndCheckpointTest {

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

    private void openssl(String... args) {
        Peers.tool("openssl");
        String[] command = Stream.concat(Stream.of("openssl"), Stream.of(args)).toArray(String[]::new);
        Peers.Result r = Peers.run(dir, command);
        assertEquals(0, r.exit(), r::all);
    }

    private void root(String name, String subject) {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
                "-subj", subject, "-days", "3650", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    /** A leaf signed by {@code ca} with openssl, written to {@code out}. */
    private void leaf(String ca, String cn, String serial, Path out) {
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", cn + ".key", "-out", cn + ".csr",
                "-subj", "/CN=" + cn);
        openssl("x509", "-req", "-in", cn + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-set_serial", serial, "-days", "365",
                "-out", out.toString());
    }

    private long keyFiles() throws Exception {
        try (var s = Files.list(data.resolve("keys"))) {
            return s.count();
        }
    }

    @Test
    void anOpenSslCaIsTakenOverAfterItsKeyIsProvedAndItsOldCertificatesAnswerOcsp() throws Exception {
        ok("init");
        root("legacy", "/CN=Legacy OpenSSL Root/O=Example");
        root("other", "/CN=Other Root/O=Example");
        long keysBefore = keyFiles();

        // A key that is not the certificate's: refused, nothing stored.
        Cli.Run mismatch = Cli.run(data, "ca", "import", "--name", "legacy", "--cert", dir.resolve("legacy.pem").toString(),
                "--key", dir.resolve("other.key").toString(), "--profiles", "ldevid");
        assertEquals(ExitCodes.BAD_INPUT, mismatch.exit(), mismatch::toString);
        assertTrue(mismatch.err().contains("does not match the certificate"), mismatch::toString);
        assertEquals(1, mismatch.err().lines().count(), mismatch::toString);
        assertFalse(ok("ca", "list").out().contains("legacy"));
        assertEquals(keysBefore, keyFiles(), "a refused import leaves no key file");
        assertFalse(ok("audit", "list", "--json").out().contains("ca.import"));

        // A certificate that is not a CA's.
        leaf("other", "not-a-ca", "0x77", dir.resolve("leaf-of-other.pem"));
        Cli.Run notCa = Cli.run(data, "ca", "import", "--name", "legacy", "--cert", dir.resolve("leaf-of-other.pem").toString(),
                "--key", dir.resolve("not-a-ca.key").toString());
        assertEquals(ExitCodes.BAD_INPUT, notCa.exit(), notCa::toString);
        assertTrue(notCa.err().contains("not a CA certificate"), notCa::toString);

        // An encrypted key without its passphrase, then with it.
        openssl("pkey", "-in", "legacy.key", "-aes256", "-passout", "pass:correct horse battery", "-out", "legacy-enc.key");
        Cli.Run noPass = Cli.run(data, "ca", "import", "--name", "legacy", "--cert", dir.resolve("legacy.pem").toString(),
                "--key", dir.resolve("legacy-enc.key").toString(), "--profiles", "ldevid");
        assertEquals(ExitCodes.BAD_INPUT, noPass.exit(), noPass::toString);
        assertTrue(noPass.err().contains("encrypted"), noPass::toString);
        assertEquals(keysBefore, keyFiles());

        // A PKCS#11 URI without a PKCS#11 vault.
        Cli.Run pkcs11 = Cli.run(data, "ca", "import", "--name", "legacy", "--cert", dir.resolve("legacy.pem").toString(),
                "--pkcs11-uri", "pkcs11:token=t;object=legacy");
        assertEquals(ExitCodes.BAD_INPUT, pkcs11.exit(), pkcs11::toString);
        assertTrue(pkcs11.err().contains("pkcs11 vault not configured"), pkcs11::toString);

        Files.writeString(dir.resolve("pass.txt"), "correct horse battery\n");
        ok("ca", "import", "--name", "legacy", "--cert", dir.resolve("legacy.pem").toString(), "--key", dir.resolve("legacy-enc.key").toString(),
                "--key-passphrase-file", dir.resolve("pass.txt").toString(), "--profiles", "ldevid");
        assertEquals(keysBefore + 2, keyFiles(), "the imported key and its public half");
        try (var s = Files.list(data.resolve("keys"))) {
            Path key = s.filter(p -> p.getFileName().toString().startsWith("legacy-") && p.toString().endsWith(".key.pem")).findFirst().orElseThrow();
            assertTrue(Files.readString(key).contains("ENCRYPTED PRIVATE KEY"), "encrypted at rest");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
        assertTrue(ok("audit", "list", "--json").out().contains("ca.import"));

        // Hallmark issues under it, and openssl verifies against the OpenSSL root.
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "new.key", "-out", "new.csr",
                "-subj", "/CN=DEV-NEW/serialNumber=DEV-NEW");
        ok("issue", "--ca", "legacy", "--profile", "ldevid", "--csr", dir.resolve("new.csr").toString(), "--out", dir.resolve("new.pem").toString());
        Peers.Result verify = Peers.run(dir, "openssl", "verify", "-x509_strict", "-CAfile", "legacy.pem", "new.pem");
        assertEquals(0, verify.exit(), verify::all);

        // Certificates the OpenSSL CA made before: imported, listable, revocable, answered for by OCSP.
        Path old = dir.resolve("old");
        Files.createDirectories(old);
        // 1,000 of them, as openssl x509 -req signs them (serials 0x1001 to 0x13e8), in one shell loop to spare process starts.
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "old.key", "-out", "old.csr",
                "-subj", "/CN=old-device");
        Peers.Result made = Peers.run(dir, "sh", "-c", "i=1; while [ $i -le 1000 ]; do openssl x509 -req -in old.csr -CA legacy.pem"
                + " -CAkey legacy.key -set_serial $((4096 + i)) -days 365 -out old/old-$i.pem 2>/dev/null || exit 1; i=$((i + 1)); done");
        assertEquals(0, made.exit(), made::all);
        Files.copy(dir.resolve("leaf-of-other.pem"), old.resolve("foreign.pem"));
        Files.writeString(old.resolve("junk.pem"), "not a certificate");
        long started = System.nanoTime();
        Cli.Run imported = Cli.run(data, "cert", "import", old.toString());
        System.out.printf("imported 1,000 openssl-made certificates in %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertEquals(ExitCodes.BAD_INPUT, imported.exit(), imported::toString);
        assertTrue(imported.out().contains("imported 1000, already present 0, failed 2"), imported::toString);
        assertTrue(imported.err().contains("foreign.pem") && imported.err().contains("junk.pem"), imported::toString);
        assertTrue(imported.err().contains("not a CA Hallmark knows"), imported::toString);
        Cli.Run again = Cli.run(data, "cert", "import", old.toString(), "--json");
        assertTrue(again.out().contains("\"imported\" : 0") && again.out().contains("\"existing\" : 1000"), again::toString);
        String list = ok("cert", "list", "--ca", "legacy", "--profile", "imported", "--limit", "2000").out();
        assertEquals(1000, list.lines().filter(l -> l.contains(" legacy ")).count(), list.lines().limit(3).toList()::toString);
        ok("revoke", Long.toHexString(4096 + 3), "--reason", "keyCompromise"); // old-3.pem
        try (ServeProcess serve = ServeProcess.start("--data", data.toString())) {
            Path issuer = dir.resolve("legacy.pem");
            assertTrue(serve.ocspStatus(dir, issuer, issuer, old.resolve("old-3.pem")).startsWith("revoked"));
            assertTrue(serve.ocspStatus(dir, issuer, issuer, old.resolve("old-4.pem")).startsWith("good"));
        }
        assertEquals(0, Cli.run(data, "audit", "verify").exit());
    }

    @Test
    void aWeakRootIsRefusedAndACsvGivesImportedCertificatesTheirDevices() throws Exception {
        ok("init");
        openssl("req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", "weak.key", "-out", "weak.pem", "-subj", "/CN=Weak Root",
                "-days", "365", "-addext", "basicConstraints=critical,CA:TRUE");
        Cli.Run weak = Cli.run(data, "ca", "import", "--name", "weak", "--cert", dir.resolve("weak.pem").toString(), "--key",
                dir.resolve("weak.key").toString());
        assertEquals(ExitCodes.BAD_INPUT, weak.exit(), weak::toString);
        assertTrue(weak.err().contains("too weak"), weak::toString);
        assertFalse(ok("ca", "list").out().contains("weak"));

        root("legacy", "/CN=Legacy/O=Example");
        ok("ca", "import", "--name", "legacy", "--cert", dir.resolve("legacy.pem").toString(), "--key", dir.resolve("legacy.key").toString());
        // An intermediate OpenSSL signed under it: refused as a root, taken over under --parent.
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes", "-keyout", "sub.key", "-out", "sub.csr",
                "-subj", "/CN=Legacy Issuing/O=Example");
        Files.writeString(dir.resolve("sub.ext"), "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n");
        openssl("x509", "-req", "-in", "sub.csr", "-CA", "legacy.pem", "-CAkey", "legacy.key", "-set_serial", "0x0b01", "-days", "900",
                "-extfile", "sub.ext", "-out", "sub.pem");
        Cli.Run asRoot = Cli.run(data, "ca", "import", "--name", "legacy-sub", "--cert", dir.resolve("sub.pem").toString(), "--key",
                dir.resolve("sub.key").toString());
        assertEquals(ExitCodes.BAD_INPUT, asRoot.exit(), asRoot::toString);
        assertTrue(asRoot.err().contains("not self-signed"), asRoot::toString);
        ok("ca", "import", "--name", "legacy-sub", "--parent", "legacy", "--cert", dir.resolve("sub.pem").toString(), "--key",
                dir.resolve("sub.key").toString(), "--profiles", "ldevid");
        assertTrue(ok("ca", "show", "legacy-sub").out().contains("path length:    0"));
        ok("issue", "--ca", "legacy-sub", "--profile", "ldevid", "--generate-key", "--subject", "CN=DEV-9,serialNumber=DEV-9",
                "--out", dir.resolve("dev9.pem").toString());
        Peers.Result chain = Peers.run(dir, "openssl", "verify", "-x509_strict", "-CAfile", "legacy.pem", "-untrusted", "sub.pem", "dev9.pem");
        assertEquals(0, chain.exit(), chain::all);

        Files.createDirectories(dir.resolve("certs"));
        leaf("legacy", "sensor-a", "0x0a01", dir.resolve("certs/a.pem"));
        leaf("legacy", "sensor-b", "0x0a02", dir.resolve("certs/b.der.pem"));
        Files.writeString(dir.resolve("certs/list.csv"), "file,device\na.pem,SENSOR-A\nb.der.pem,SENSOR-B\nmissing.pem,SENSOR-C\n");
        Cli.Run csv = Cli.run(data, "cert", "import", "--csv", dir.resolve("certs/list.csv").toString(), "--json");
        assertEquals(ExitCodes.BAD_INPUT, csv.exit(), csv::toString);
        assertTrue(csv.out().contains("\"imported\" : 2") && csv.out().contains("\"failed\" : 1") && csv.out().contains("missing.pem"), csv::toString);
        assertTrue(ok("cert", "list", "--device", "SENSOR-B").out().contains("a02"));
    }

    @Test
    void aCheckpointIsExtendedByLaterEntriesAndARewriteOrCutBeforeItIsCaught() throws Exception {
        ok("init");
        Path checkpoint = dir.resolve("cp1.txt");
        Path vkey = dir.resolve("audit.vkey");
        Cli.Run taken = ok("audit", "checkpoint", "--out", checkpoint.toString(), "--vkey-out", vkey.toString());
        String note = Files.readString(checkpoint);
        assertTrue(note.startsWith("hallmark-audit/") && note.contains("\n\n\u2014 hallmark-audit/"), note);
        ok("issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=DEV-1,serialNumber=DEV-1",
                "--out", dir.resolve("d1.pem").toString());
        assertTrue(ok("audit", "verify", "--checkpoint", checkpoint.toString()).out().contains("extends the checkpoint"), taken::toString);
        ok("audit", "verify", "--checkpoint", checkpoint.toString(), "--vkey", vkey.toString());
        opensslVerifiesTheNote(note, Files.readString(vkey).strip());

        // One altered byte of the signed note: the signature no longer verifies.
        Path forged = dir.resolve("forged.txt");
        Files.writeString(forged, note.replaceFirst("\n(\\d+)\n", "\n1$1\n"));
        Cli.Run badSignature = Cli.run(data, "audit", "verify", "--checkpoint", forged.toString());
        assertEquals(ExitCodes.AUDIT_BROKEN, badSignature.exit(), badSignature::toString);
        assertTrue(badSignature.err().contains("signature"), badSignature::toString);

        // An entry before the checkpoint rewritten and the chain recomputed over the rest: the plain chain is intact,
        // the checkpoint is not extended.
        Path second = dir.resolve("cp2.txt");
        ok("audit", "checkpoint", "--out", second.toString());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("hallmark.db"))) {
            c.createStatement().execute("DROP TRIGGER audit_log_append_only_u");
            c.createStatement().execute("UPDATE audit_log SET details = replace(details, 'ec-p', 'ec-q') WHERE seq = 2");
            rechain(c);
        }
        assertEquals(0, Cli.run(data, "audit", "verify").exit(), "the rewrite recomputed the chain and moved the head");
        Cli.Run rewritten = Cli.run(data, "audit", "verify", "--checkpoint", checkpoint.toString());
        assertEquals(ExitCodes.AUDIT_BROKEN, rewritten.exit(), rewritten::toString);
        assertTrue(rewritten.err().contains("rewritten at or before entry"), rewritten::toString);
    }

    @Test
    void aLogCutBelowTheCheckpointIsCaught() throws Exception {
        ok("init");
        Path checkpoint = dir.resolve("cp.txt");
        ok("audit", "checkpoint", "--out", checkpoint.toString());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("hallmark.db"))) {
            c.createStatement().execute("DROP TRIGGER audit_log_append_only_d");
            c.createStatement().execute("DROP TRIGGER audit_log_append_only_u");
            c.createStatement().execute("DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) - 3 FROM audit_log)");
            rechain(c);
        }
        assertEquals(0, Cli.run(data, "audit", "verify").exit(), "the cut moved the head");
        Cli.Run cut = Cli.run(data, "audit", "verify", "--checkpoint", checkpoint.toString());
        assertEquals(ExitCodes.AUDIT_BROKEN, cut.exit(), cut::toString);
        assertTrue(cut.err().contains("the log was cut"), cut::toString);
    }

    @Test
    void theServerSignsCheckpointsPeriodically() throws Exception {
        ok("init");
        try (ServeProcess serve = ServeProcess.start(java.util.List.of("--data", data.toString()), java.util.List.of("--checkpoint-every", "1s"))) {
            Path dirOf = data.resolve("checkpoints");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline && (!Files.isDirectory(dirOf) || Files.list(dirOf).count() < 2)) Thread.sleep(200);
        }
        Path first;
        try (var s = Files.list(data.resolve("checkpoints"))) {
            first = s.sorted().findFirst().orElseThrow();
        }
        assertTrue(ok("audit", "verify", "--checkpoint", first.toString()).out().contains("extends the checkpoint"));
        assertTrue(ok("audit", "list", "--json").out().contains("audit.checkpoint"));
    }

    /**
     * The note checked without Hallmark's code: the key ID recomputed from the verifier key as signed-note defines it,
     * and the Ed25519 signature verified by openssl over the note's text.
     */
    private void opensslVerifiesTheNote(String note, String vkey) throws Exception {
        String[] parts = vkey.split("\\+", 3);
        byte[] typed = java.util.Base64.getDecoder().decode(parts[2]);
        assertEquals(1, typed[0], "signature type 0x01, Ed25519");
        byte[] publicKey = java.util.Arrays.copyOfRange(typed, 1, 33);
        var digest = java.security.MessageDigest.getInstance("SHA-256");
        digest.update((parts[0] + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update((byte) 1);
        byte[] keyId = java.util.Arrays.copyOf(digest.digest(publicKey), 4);
        assertEquals(parts[1], java.util.HexFormat.of().formatHex(keyId));
        int split = note.lastIndexOf("\n\n");
        String text = note.substring(0, split + 1);
        String line = note.substring(split + 2).strip();
        assertTrue(line.startsWith("\u2014 " + parts[0] + " "), line);
        byte[] signed = java.util.Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        assertEquals(parts[1], java.util.HexFormat.of().formatHex(signed, 0, 4), "the signature line names the key by its ID");
        byte[] spki = java.util.HexFormat.of().parseHex("302a300506032b6570032100" + java.util.HexFormat.of().formatHex(publicKey));
        Files.writeString(dir.resolve("audit-pub.pem"), "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getEncoder().encodeToString(spki)
                + "\n-----END PUBLIC KEY-----\n");
        Files.write(dir.resolve("note-text"), text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.write(dir.resolve("note-sig"), java.util.Arrays.copyOfRange(signed, 4, signed.length));
        Peers.Result r = Peers.run(dir, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "audit-pub.pem", "-rawin", "-in", "note-text",
                "-sigfile", "note-sig");
        assertEquals(0, r.exit(), r::all);
        assertTrue(r.all().contains("Signature Verified Successfully"), r::all);
    }

    /** What an attacker with write access does after editing: recompute every hash and move the head. */
    private static void rechain(Connection c) throws Exception {
        Method hash = AuditChain.class.getDeclaredMethod("hash", long.class, Instant.class, String.class, String.class, String.class,
                String.class, String.class);
        hash.setAccessible(true);
        String prev = AuditChain.GENESIS;
        long last = 0;
        try (ResultSet rs = c.createStatement().executeQuery("SELECT seq, at, actor, action, subject, details FROM audit_log ORDER BY seq");
             PreparedStatement update = c.prepareStatement("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?")) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                String h = (String) hash.invoke(null, seq, Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), prev);
                update.setString(1, prev);
                update.setString(2, h);
                update.setLong(3, seq);
                update.executeUpdate();
                prev = h;
                last = seq;
            }
        }
        try (PreparedStatement head = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
            head.setLong(1, last);
            head.setString(2, prev);
            head.executeUpdate();
        }
    }
}
