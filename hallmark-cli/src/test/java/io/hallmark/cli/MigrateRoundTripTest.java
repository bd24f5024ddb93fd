package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.testing.Peers;
import io.hallmark.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An installation moved SQLite → PostgreSQL → SQLite with {@code hallmark migrate}: every table arrives with the same
 * content, the audit chain verifies at each stop with the same head, the certificates are the same, and a real
 * {@code hallmark serve} answers OCSP for a good and a revoked certificate the same way at each stop. A target that
 * holds anything is refused and left as it was.
 */
class MigrateRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void sqliteToPostgresAndBackKeepsEverything() throws Exception {
        Peers.tool("openssl");
        Path a = dir.resolve("a");
        try (TestPostgres pg = TestPostgres.create()) {
            ok(Cli.run(a, "init"));
            ok(Cli.run(a, "issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=good",
                    "--serial-number", "DEV-good", "--out", dir.resolve("good.pem").toString()));
            ok(Cli.run(a, "issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=gone",
                    "--serial-number", "DEV-gone", "--out", dir.resolve("gone.pem").toString()));
            ok(Cli.run(a, "revoke", "--device", "DEV-gone", "--reason", "keyCompromise"));
            ok(Cli.run(a, "token", "create", "--role", "auditor", "--name", "reader"));
            ok(Cli.run(a, "station", "create", "--name", "line-1", "--ca", "idevid-ca", "--profile", "idevid", "--quota", "10",
                    "--out", dir.resolve("station").toString()));
            ok(Cli.run(a, "crl", "generate", "--ca", "ldevid-ca", "--out", dir.resolve("ldevid.crl").toString()));
            ok(Cli.run(a, "factory", "run", "--simulate", "3", "--chunk", "2", "--no-bundles", "--out", dir.resolve("batch").toString()));
            Path issuer = a.resolve("ca/ldevid-ca.pem");
            Path root = dir.resolve("root.pem");
            Files.copy(a.resolve("ca/root.pem"), root);

            Map<String, String> ocspBefore = ocsp(issuer, root, "--data", a.toString()); // also records the CA's OCSP responder
            assertTrue(ocspBefore.get("good.pem").equals("good"), ocspBefore.toString());
            assertTrue(ocspBefore.get("gone.pem").startsWith("revoked") && ocspBefore.get("gone.pem").contains("keyCompromise"), ocspBefore.toString());
            String head = auditHead(a);
            Map<String, JsonNode> certificates = certificates(a);

            // SQLite → PostgreSQL
            Cli.Run toPg = Cli.run(a, "migrate", "--to", pg.url(), "--json");
            ok(toPg);
            JsonNode first = JSON.readTree(toPg.out()).get("copy");
            assertVerified(first);
            for (String table : new String[]{"ocsp_responders", "stations", "api_principals", "revocations", "device_blocks", "crl_numbers",
                    "factory_batches", "factory_batch_chunks", "factory_batch_ends", "device_last_seen"}) {
                assertTrue(rows(first, table) >= 1, table + " was copied: " + toPg.out());
            }
            assertEquals(head, auditHead(a, "--db", pg.url()));
            assertEquals(certificates, certificates(a, "--db", pg.url()));

            // Into a database that holds an installation: refused in one line, nothing changed.
            Cli.Run again = Cli.run(a, "migrate", "--to", pg.url());
            assertEquals(ExitCodes.CONFLICT, again.exit(), again::toString);
            assertEquals(1, again.err().lines().count(), again::toString);
            assertTrue(again.err().contains("is not empty"), again::toString);
            assertEquals(head, auditHead(a, "--db", pg.url()));

            // PostgreSQL → SQLite in a new data directory, which gets the key vault and the passphrase by hand, as documented.
            Path b = dir.resolve("b");
            Cli.Run toSqlite = Cli.run(a, "--db", pg.url(), "migrate", "--to", b.toString(), "--json");
            ok(toSqlite);
            JsonNode second = JSON.readTree(toSqlite.out()).get("copy");
            assertVerified(second);
            assertEquals(4, JSON.readTree(toSqlite.out()).get("missingKeys").size(), "the new directory has no key vault yet: " + toSqlite.out());
            assertEquals(digests(first), digests(second), "every table's content is the same after the round trip");
            Files.createDirectory(b.resolve("keys"));
            try (var keys = Files.list(a.resolve("keys"))) {
                for (Path k : keys.toList()) Files.copy(k, b.resolve("keys").resolve(k.getFileName()));
            }
            Files.copy(a.resolve("vault.pass"), b.resolve("vault.pass"));

            assertEquals(0, Cli.run(b, "audit", "verify").exit());
            assertEquals(JSON.readTree(Cli.run(a, "factory", "batches", "--json").out()), JSON.readTree(Cli.run(b, "factory", "batches", "--json").out()),
                    "the batches and their progress came along");
            assertEquals(head, auditHead(b));
            assertEquals(certificates, certificates(b));

            // A server on each copy answers OCSP as the original did, with the responder the copies carried over.
            assertEquals(ocspBefore, ocsp(issuer, root, "--data", a.toString(), "--db", pg.url()));
            assertEquals(ocspBefore, ocsp(issuer, root, "--data", b.toString()));

            // Both copies go on recording: the next issuance (and its event, whose id PostgreSQL hands out) does not
            // collide with what was copied.
            ok(Cli.run(a, "--db", pg.url(), "issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=after-pg",
                    "--out", dir.resolve("after-pg.pem").toString()));
            ok(Cli.run(b, "issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=after-back",
                    "--out", dir.resolve("after-back.pem").toString()));
            assertEquals(0, Cli.run(a, "--db", pg.url(), "audit", "verify").exit());
        }
    }

    private Map<String, String> ocsp(Path issuer, Path root, String... options) throws Exception {
        try (ServeProcess serve = ServeProcess.start(options)) {
            Map<String, String> answers = new TreeMap<>();
            for (String name : new String[]{"good.pem", "gone.pem"}) {
                answers.put(name, serve.ocspStatus(dir, issuer, root, dir.resolve(name)).replace(dir.resolve(name).toString(), name));
            }
            return answers;
        }
    }

    private static void assertVerified(JsonNode copy) {
        assertTrue(copy.get("verified").asBoolean(), copy::toString);
        for (JsonNode t : copy.get("tables")) {
            assertTrue(t.get("contentEqual").asBoolean(), t::toString);
            assertEquals(t.get("sourceRows").asLong(), t.get("targetRows").asLong(), t::toString);
        }
        assertTrue(copy.get("audit").get("intact").asBoolean(), copy::toString);
        assertTrue(copy.get("certificates").get("checked").asInt() >= 2, copy::toString);
        assertEquals(copy.get("certificates").get("checked").asInt(), copy.get("certificates").get("identical").asInt(), copy::toString);
    }

    private static long rows(JsonNode copy, String table) {
        for (JsonNode t : copy.get("tables")) {
            if (t.get("name").asText().equals(table)) return t.get("targetRows").asLong();
        }
        throw new AssertionError("no table " + table + " in " + copy);
    }

    private static Map<String, String> digests(JsonNode copy) {
        Map<String, String> d = new TreeMap<>();
        copy.get("tables").forEach(t -> d.put(t.get("name").asText(), t.get("digest").asText()));
        return d;
    }

    private static String auditHead(Path data, String... options) throws Exception {
        String[] args = new String[options.length + 3];
        System.arraycopy(options, 0, args, 0, options.length);
        args[options.length] = "audit";
        args[options.length + 1] = "verify";
        args[options.length + 2] = "--json";
        Cli.Run r = Cli.run(data, args);
        ok(r);
        JsonNode v = JSON.readTree(r.out());
        assertTrue(v.get("brokenAt").isNull(), r::toString);
        return v.get("entries").asLong() + " " + v.get("headHash").asText();
    }

    /** Every certificate's summary (status and revocation included), by serial. */
    private static Map<String, JsonNode> certificates(Path data, String... options) throws Exception {
        String[] args = new String[options.length + 3];
        System.arraycopy(options, 0, args, 0, options.length);
        args[options.length] = "cert";
        args[options.length + 1] = "list";
        args[options.length + 2] = "--json";
        Cli.Run r = Cli.run(data, args);
        ok(r);
        Map<String, JsonNode> bySerial = new TreeMap<>();
        JSON.readTree(r.out()).forEach(c -> bySerial.put(c.get("serial").asText(), c));
        assertTrue(bySerial.size() >= 5, r::toString);
        return bySerial;
    }

    private static void ok(Cli.Run r) {
        assertEquals(0, r.exit(), r::toString);
    }
}
