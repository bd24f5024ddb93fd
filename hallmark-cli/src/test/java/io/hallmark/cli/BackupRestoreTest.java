package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.testing.Peers;
import io.hallmark.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backup while serving, wipe, restore into a new directory: a real server on the restored installation answers OCSP
 * for certificates issued before the backup as before, and the audit chain verifies. A backup with one byte changed,
 * anywhere, is refused, and so is a target that is not empty.
 */
class BackupRestoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void backupWhileServingThenWipeAndRestoreServesTheOldCertificates() throws Exception {
        Peers.tool("openssl");
        Path a = dir.resolve("a");
        ok(Cli.run(a, "init"));
        issue(a, "good");
        issue(a, "gone");
        ok(Cli.run(a, "revoke", "--device", "DEV-gone", "--reason", "keyCompromise"));
        // What an operator keeps outside the data directory: the CA certificates, and the passphrase (kept separately).
        Path issuer = Files.copy(a.resolve("ca/ldevid-ca.pem"), dir.resolve("ldevid-ca.pem"));
        Path root = Files.copy(a.resolve("ca/root.pem"), dir.resolve("root.pem"));
        String passphrase = Files.readString(a.resolve("vault.pass"));

        Path backup = dir.resolve("backups/hallmark.zip");
        Map<String, String> before;
        Cli.Run written;
        try (ServeProcess serve = ServeProcess.start("--data", a.toString())) {
            before = ocsp(serve, issuer, root);
            written = Cli.run(a, "backup", "--out", backup.toString(), "--json"); // online: the server holds the database
            ok(written);
            assertEquals(before, ocsp(serve, issuer, root), "the server keeps serving through the backup");
        }
        assertEquals("good", before.get("good.pem"));
        assertTrue(before.get("gone.pem").startsWith("revoked"), before.toString());

        JsonNode report = JSON.readTree(written.out());
        JsonNode manifest = report.get("manifest");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        assertFalse(manifest.get("passphraseIncluded").asBoolean());
        assertEquals(report.get("sha256").asText(), sha256Tail(backup), "the file ends with its checksum");
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(backup.toFile())) {
            zip.stream().forEach(e -> names.add(e.getName()));
            for (var e : zip.stream().toList()) {
                String content = new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.ISO_8859_1);
                assertFalse(content.contains(passphrase.strip()), "the passphrase is in " + e.getName());
            }
        }
        assertEquals("hallmark.db", names.getFirst());
        assertEquals("manifest.json", names.getLast());
        assertEquals(8, names.stream().filter(n -> n.startsWith("keys/")).count(), names.toString()); // four CAs, a private and a public file each
        assertFalse(names.stream().anyMatch(n -> n.contains("vault.pass")), names.toString());
        assertEquals(ExitCodes.CONFLICT, Cli.run(a, "backup", "--out", backup.toString()).exit(), "an existing file is never replaced");

        wipe(a);

        // One changed byte anywhere (the database entry, the central directory, the manifest, the checksum itself): refused.
        long size = Files.size(backup);
        for (long at : new long[]{0, 40, size / 2, size - 300, size - 120, size - 1}) {
            Path tampered = dir.resolve("tampered.zip");
            Files.copy(backup, tampered, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            byte[] bytes = Files.readAllBytes(tampered);
            bytes[(int) at] ^= 0x01;
            Files.write(tampered, bytes);
            Path target = dir.resolve("from-tampered");
            Cli.Run refused = Cli.raw("--data", target.toString(), "restore", "--in", tampered.toString());
            assertEquals(ExitCodes.AUDIT_BROKEN, refused.exit(), "byte " + at + ": " + refused);
            assertEquals(1, refused.err().lines().count(), refused::toString);
            assertFalse(Files.exists(target), "nothing restored from a tampered backup");
        }

        Path c = dir.resolve("restored");
        Cli.Run restored = Cli.raw("--data", c.toString(), "restore", "--in", backup.toString());
        ok(restored);
        assertTrue(restored.out().contains("vault passphrase"), restored::toString);
        Files.writeString(Files.createFile(c.resolve("vault.pass"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), passphrase);

        Cli.Run verify = Cli.run(c, "audit", "verify", "--json");
        ok(verify);
        assertEquals(manifest.get("audit").get("hash").asText(), JSON.readTree(verify.out()).get("headHash").asText());
        assertTrue(Files.exists(c.resolve("ca/root.pem")), "the CA certificates are exported again");
        try (ServeProcess serve = ServeProcess.start("--data", c.toString())) {
            assertEquals(before, ocsp(serve, issuer, root));
        }

        // Into a directory that is not empty: refused, nothing touched.
        String db = sha256(c.resolve("hallmark.db"));
        Cli.Run again = Cli.raw("--data", c.toString(), "restore", "--in", backup.toString());
        assertEquals(ExitCodes.CONFLICT, again.exit(), again::toString);
        assertEquals(1, again.err().lines().count(), again::toString);
        assertEquals(db, sha256(c.resolve("hallmark.db")));
    }

    @Test
    void aPostgresInstallationRestoresIntoAnEmptyDatabase() throws Exception {
        Path a = dir.resolve("a");
        try (TestPostgres source = TestPostgres.create(); TestPostgres target = TestPostgres.create()) {
            ok(Cli.run(a, "--db", source.url(), "init"));
            issue(a, "--db", source.url(), "pg-1");
            Path backup = dir.resolve("pg.zip");
            ok(Cli.run(a, "--db", source.url(), "backup", "--out", backup.toString()));

            Path c = dir.resolve("c");
            Cli.Run restored = Cli.raw("--data", c.toString(), "--db", target.url(), "restore", "--in", backup.toString());
            ok(restored);
            assertFalse(Files.exists(c.resolve("hallmark.db")), "the store went into PostgreSQL");
            assertEquals(8, Files.list(c.resolve("keys")).count());
            Cli.Run sourceVerify = Cli.run(a, "--db", source.url(), "audit", "verify");
            ok(sourceVerify);
            Cli.Run targetVerify = Cli.run(c, "--db", target.url(), "audit", "verify");
            ok(targetVerify);
            assertEquals(sourceVerify.out(), targetVerify.out());
            assertEquals(certificates(a, source.url()), certificates(c, target.url()));

            // The database now holds an installation: a second restore into it is refused before anything is written.
            Path d = dir.resolve("d");
            Cli.Run again = Cli.raw("--data", d.toString(), "--db", target.url(), "restore", "--in", backup.toString());
            assertEquals(ExitCodes.CONFLICT, again.exit(), again::toString);
            assertFalse(Files.exists(d));
        }
    }

    private void issue(Path data, String... dbAndName) {
        String name = dbAndName[dbAndName.length - 1];
        List<String> args = new ArrayList<>(List.of(dbAndName).subList(0, dbAndName.length - 1));
        args.addAll(List.of("issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=" + name,
                "--serial-number", "DEV-" + name, "--out", dir.resolve(name + ".pem").toString()));
        ok(Cli.run(data, args.toArray(String[]::new)));
    }

    private Map<String, String> ocsp(ServeProcess serve, Path issuer, Path root) {
        Map<String, String> answers = new TreeMap<>();
        for (String name : new String[]{"good.pem", "gone.pem"}) {
            answers.put(name, serve.ocspStatus(dir, issuer, root, dir.resolve(name)).replace(dir.resolve(name).toString(), name));
        }
        return answers;
    }

    private static Map<String, JsonNode> certificates(Path data, String db) throws Exception {
        Cli.Run r = Cli.run(data, "--db", db, "cert", "list", "--json");
        ok(r);
        Map<String, JsonNode> bySerial = new TreeMap<>();
        JSON.readTree(r.out()).forEach(n -> bySerial.put(n.get("serial").asText(), n));
        return bySerial;
    }

    private static void wipe(Path dir) throws Exception {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static String sha256Tail(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        return new String(b, b.length - 64, 64, StandardCharsets.US_ASCII);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static void ok(Cli.Run r) {
        assertEquals(0, r.exit(), r::toString);
    }
}
