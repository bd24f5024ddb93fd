package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.DeviceRecord;
import io.hallmark.store.JdbcStore;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Review defects 7 and 8 through the command line: device-chosen subjects with control characters or beyond
 * their X.520 bound, and SHA-1 signed CSRs, are refused by {@code hallmark issue} and per item by a factory
 * batch; a bad subject stored before the fix is printed escaped, never raw to the terminal.
 */
class CsrHygieneCliTest {

    /** ESC [2J clears the screen, ESC [31m turns it red, the newline starts a line of the attacker's choosing. */
    static final String FORGED_CN = "x\u001b[2J\u001b[31mFAKE-ROOT\nhallmark: audit chain intact";

    @TempDir
    Path dir;
    Path data;

    @BeforeEach
    void init() {
        data = dir.resolve("data");
        assertEquals(0, Cli.run(data, "init").exit());
    }

    /** A CSR made by openssl; {@code extra} e.g. {@code -sha1}. */
    private Path opensslCsr(String name, String subject, String... extra) {
        Peers.tool("openssl");
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", dir.resolve(name + ".key").toString(), "-subj", subject, "-out", dir.resolve(name + ".csr").toString()));
        cmd.addAll(List.of(extra));
        Peers.Result r = Peers.run(dir, cmd);
        assertEquals(0, r.exit(), r::all);
        return dir.resolve(name + ".csr");
    }

    /** openssl refuses to make a commonName over 64 characters, so BouncyCastle makes this one. */
    private Path longCnCsr(String name) throws Exception {
        byte[] der = Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256,
                new X500NameBuilder().addRDN(BCStyle.CN, new DERUTF8String("x".repeat(5000))).build());
        return Files.writeString(dir.resolve(name + ".csr"), Pem.encode("CERTIFICATE REQUEST", der));
    }

    private static void assertNoControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || c == 0x2028 || c == 0x2029;
            int at = i;
            assertFalse(unsafe, () -> String.format("U+%04X at %d reaches the terminal: %s", (int) c, at, text));
        }
    }

    @Test
    void issueRefusesForgedAndOversizedSubjectsAndSha1WithOneLine() throws Exception {
        Path forged = opensslCsr("forged", "/CN=" + FORGED_CN);
        Path sha1 = opensslCsr("sha1", "/CN=sensor", "-sha1");
        Path huge = longCnCsr("huge");
        String before = Cli.run(data, "cert", "list", "--json").out();
        Map<Path, String> expected = Map.of(
                forged, "commonName contains the control character U+001B",
                huge, "commonName has 5000 characters; X.520 allows at most 64",
                sha1, "CSR signed with ecdsa-with-SHA1; SHA-1 and MD5 signatures are refused, sign with SHA-256 or stronger");
        for (var e : expected.entrySet()) {
            Path out = dir.resolve("never.pem");
            Cli.Run r = Cli.run(data, "issue", "--ca", "idevid-ca", "--profile", "idevid", "--csr", e.getKey().toString(),
                    "--serial-number", "HYG-1", "--out", out.toString());
            assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
            assertEquals(1, r.err().lines().count(), () -> "one line: " + r);
            assertTrue(r.err().startsWith("hallmark: ") && r.err().contains(e.getValue()), () -> e.getValue() + "\n" + r);
            assertNoControlCharacters(r.err());
            assertFalse(Files.exists(out), "nothing written");
        }
        assertEquals(before, Cli.run(data, "cert", "list", "--json").out(), "nothing stored");
    }

    @Test
    void aFactoryBatchRefusesTheBadItemsInLineAndIssuesTheRest() throws Exception {
        Path good = opensslCsr("good", "/CN=sensor");
        Path forged = opensslCsr("forged", "/CN=" + FORGED_CN);
        Path sha1 = opensslCsr("sha1", "/CN=sensor", "-sha1");
        Path huge = longCnCsr("huge");
        StringBuilder csv = new StringBuilder("deviceSerial,csr\n");
        Map<String, Path> items = Map.of("HYG-GOOD-1", good, "HYG-FORGED", forged, "HYG-SHA1", sha1, "HYG-HUGE", huge);
        for (var item : items.entrySet()) {
            byte[] der = Pem.derOf(Files.readAllBytes(item.getValue()), "CERTIFICATE REQUEST");
            csv.append(item.getKey()).append(',').append(Base64.getEncoder().encodeToString(der)).append('\n');
        }
        Path manifest = Files.writeString(dir.resolve("devices.csv"), csv);
        Path out = dir.resolve("batch");
        Cli.Run r = Cli.run(data, "factory", "run", "--csv", manifest.toString(), "--out", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString); // some items failed

        Map<String, JsonNode> results = new HashMap<>();
        new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).forEach(n -> results.put(n.get("deviceSerial").asText(), n));
        assertEquals("issued", results.get("HYG-GOOD-1").get("status").asText(), results::toString);
        assertTrue(results.get("HYG-FORGED").get("error").asText().contains("commonName contains the control character U+001B"), results::toString);
        assertTrue(results.get("HYG-HUGE").get("error").asText().contains("5000 characters"), results::toString);
        assertTrue(results.get("HYG-SHA1").get("error").asText().startsWith("CSR signed with ecdsa-with-SHA1"), results::toString);
        for (String refused : List.of("HYG-FORGED", "HYG-HUGE", "HYG-SHA1")) {
            assertEquals("error", results.get(refused).get("status").asText(), refused);
        }
        try (JdbcStore store = JdbcStore.open(data, null)) {
            List<CertificateRecord> stored = store.read(tx -> tx.certificates().find(new CertificateQuery(null, "idevid-ca", "idevid", null, 100)));
            assertEquals(List.of("HYG-GOOD-1"), stored.stream().map(CertificateRecord::deviceId).toList(), "only the good item was stored");
        }
    }

    @Test
    void aBadSubjectStoredBeforeTheFixIsPrintedEscaped() throws Exception {
        // Issue a good certificate, then store a copy as an older release would have stored a forged CSR's.
        assertEquals(0, Cli.run(data, "issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=ok",
                "--out", dir.resolve("ok.pem").toString()).exit());
        String device = "DEV\u001b]0;owned\u0007";
        String subject = "CN=" + FORGED_CN + "\u009b2J \u202egnp.exe";
        String serial = "7badc0de";
        try (JdbcStore store = JdbcStore.open(data, null)) {
            store.inTransaction(tx -> {
                CertificateRecord ok = tx.certificates().find(new CertificateQuery(null, "ldevid-ca", "ldevid", null, 1)).getFirst();
                Instant now = Instant.now();
                tx.devices().ensure(new DeviceRecord(device, now, null, null));
                tx.certificates().insert(new CertificateRecord(serial, ok.caName(), ok.profile(), device, subject, ok.keyId(), ok.fingerprint(),
                        ok.notBefore(), ok.notAfter(), now, ok.der(), null));
                tx.audit().append("older-release", AuditEvent.of("cert.issue", serial, "device", device, "subject", subject), now);
                return null;
            });
        }
        Cli.Run show = Cli.run(data, "cert", "show", serial);
        Cli.Run list = Cli.run(data, "cert", "list");
        Cli.Run audit = Cli.run(data, "audit", "list");
        for (Cli.Run r : List.of(show, list, audit)) {
            assertEquals(0, r.exit(), r::toString);
            assertNoControlCharacters(r.out());
        }
        assertTrue(show.out().contains("subject:") && show.out().contains("CN=x\\x1b[2J\\x1b[31mFAKE-ROOT\\nhallmark: audit chain intact\\x9b2J \\u202egnp.exe"),
                show::toString);
        assertTrue(show.out().contains("DEV\\x1b]0;owned\\x07"), show::toString);
        assertTrue(list.out().contains("DEV\\x1b]0;owned\\x07"), list::toString);
        assertTrue(audit.out().contains("\\u202egnp.exe") && audit.out().contains("\\x9b2J"), audit::toString);
        assertEquals(1, show.out().lines().filter(l -> l.startsWith("subject:")).count(), show::toString);

        // JSON keeps the exact value and is itself free of raw control characters.
        Cli.Run json = Cli.run(data, "cert", "show", serial, "--json");
        assertNoControlCharacters(json.out());
        assertEquals(subject, new ObjectMapper().readTree(json.out()).get("subject").asText());
        Cli.Run auditJson = Cli.run(data, "audit", "list", "--json");
        assertNoControlCharacters(auditJson.out());
    }
}
