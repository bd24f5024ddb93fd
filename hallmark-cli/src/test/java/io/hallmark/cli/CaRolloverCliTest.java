package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.testing.Peers;
import io.hallmark.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code hallmark ca rollover} and {@code ca cross-sign}, judged by OpenSSL: after a root rollover a leaf under the
 * new root verifies with only the old root trusted (through NewWithOld), a leaf issued before it verifies with only
 * the new root trusted (through OldWithNew and the issuing CA's old certificate) and under the issuing CA's new
 * certificate (same key), and without the link certificates neither does. A cross-certificate lets a partner root
 * vouch for an issuing CA's leaves.
 */
class CaRolloverCliTest {

    static final String HIERARCHY = """
            cas:
              - {name: root, subject: "CN=Rollover Root CA,O=Hallmark Test", algorithm: ec-p384, validity: 20y, pathLen: 1}
              - {name: ldevid-ca, parent: root, subject: "CN=Rollover LDevID CA,O=Hallmark Test", validity: 10y, profiles: [ldevid]}
              - {name: clients-ca, parent: root, subject: "CN=Rollover Clients CA,O=Hallmark Test", validity: 10y, profiles: [client, server]}
              - {name: partner-root, subject: "CN=Partner Root CA,O=Partner", algorithm: ec-p256, validity: 20y, pathLen: 1}
            """;

    @TempDir
    Path dir;
    Path data;
    /** The database URL; null for the data directory's SQLite. */
    String db;

    private Cli.Run cli(String... args) {
        if (db == null) return Cli.run(data, args);
        String[] all = new String[args.length + 2];
        all[0] = "--db";
        all[1] = db;
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(data, all);
    }

    private void init() throws Exception {
        Peers.tool("openssl");
        data = dir.resolve("data");
        Path file = Files.writeString(dir.resolve("hierarchy.yaml"), HIERARCHY);
        Cli.Run r = cli("init", "--hierarchy", file.toString());
        assertEquals(0, r.exit(), r::toString);
    }

    private Path leaf(String name) {
        Path out = dir.resolve(name + ".pem");
        Cli.Run r = cli("issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=" + name, "--out", out.toString());
        assertEquals(0, r.exit(), r::toString);
        return out;
    }

    private Path copy(String caFile, String as) throws Exception {
        return Files.copy(data.resolve("ca").resolve(caFile), dir.resolve(as));
    }

    private Path concat(String name, Path... files) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) sb.append(Files.readString(f));
        return Files.writeString(dir.resolve(name), sb);
    }

    private Peers.Result verify(Path trusted, Path untrusted, Path leaf) {
        return untrusted == null
                ? Peers.run(dir, "openssl", "verify", "-x509_strict", "-CAfile", trusted.toString(), leaf.toString())
                : Peers.run(dir, "openssl", "verify", "-x509_strict", "-CAfile", trusted.toString(), "-untrusted", untrusted.toString(), leaf.toString());
    }

    @Test
    void devicesTrustingEitherRootVerifyLeavesOfBothGenerations() throws Exception {
        init();
        rollover();
    }

    @Test
    void theSameOnPostgresql() throws Exception {
        try (TestPostgres pg = TestPostgres.create()) {
            db = pg.url();
            init();
            rollover();
        }
    }

    private void rollover() throws Exception {
        Path oldRoot = copy("root.pem", "old-root.pem");
        Path oldIssuing = copy("ldevid-ca.pem", "old-ldevid-ca.pem");
        Path oldLeaf = leaf("old-leaf");

        Cli.Run r = cli("ca", "rollover", "root", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertEquals("root-2", report.get("newRoot").asText());
        assertEquals(2, report.get("recertified").size(), r::toString); // ldevid-ca and clients-ca, not partner-root

        Path newRoot = copy("root-2.pem", "new-root.pem");
        Path newWithOld = copy("root-2-by-root.pem", "new-root-by-old.pem");
        Path oldWithNew = copy("root-by-root-2.pem", "old-root-by-new.pem");
        Path newIssuing = copy("ldevid-ca.pem", "new-ldevid-ca.pem");
        assertNotEquals(Files.readString(oldIssuing), Files.readString(newIssuing), "ldevid-ca re-certified");
        Path newLeaf = leaf("new-leaf");

        // Same subject and key, new SKI: the successor is the same root to a verifier, with a key of its own.
        Peers.Result text = Peers.run(dir, "openssl", "x509", "-in", newRoot.toString(), "-noout", "-subject", "-ext", "subjectKeyIdentifier");
        Peers.Result oldText = Peers.run(dir, "openssl", "x509", "-in", oldRoot.toString(), "-noout", "-subject", "-ext", "subjectKeyIdentifier");
        assertEquals(oldText.out().lines().findFirst(), text.out().lines().findFirst(), text::all);
        assertNotEquals(oldText.out(), text.out());

        // A leaf under the new root, a device that trusts only the old root: through NewWithOld.
        Peers.Result ok = verify(oldRoot, concat("link-up.pem", newWithOld, newIssuing), newLeaf);
        assertEquals(0, ok.exit(), ok::all);
        Peers.Result without = verify(oldRoot, newIssuing, newLeaf);
        assertNotEquals(0, without.exit(), "without the link certificate the old root cannot reach the new leaf: " + without.all());

        // A leaf from before, a device that trusts only the new root: through OldWithNew and the old issuing CA certificate.
        ok = verify(newRoot, concat("link-down.pem", oldWithNew, oldIssuing), oldLeaf);
        assertEquals(0, ok.exit(), ok::all);
        without = verify(newRoot, oldIssuing, oldLeaf);
        assertNotEquals(0, without.exit(), "without OldWithNew the new root cannot reach the old leaf: " + without.all());

        // ... and through the issuing CA's new certificate, which certifies the same key: old leaves need nothing else.
        ok = verify(newRoot, newIssuing, oldLeaf);
        assertEquals(0, ok.exit(), ok::all);
        // The old root still verifies the old chains as they were.
        ok = verify(oldRoot, oldIssuing, oldLeaf);
        assertEquals(0, ok.exit(), ok::all);

        // Recorded: the successor, the links, the new issuing certificates, and audit entries for each step.
        Cli.Run list = cli("ca", "list", "--json");
        JsonNode cas = new ObjectMapper().readTree(list.out());
        boolean sawSuccessor = false;
        for (JsonNode ca : cas) {
            if (ca.get("name").asText().equals("ldevid-ca")) assertEquals("root-2", ca.get("parent").asText());
            if (ca.get("name").asText().equals("root-2")) sawSuccessor = true;
        }
        assertTrue(sawSuccessor, list::toString);
        String audit = cli("audit", "list", "--json").out();
        assertTrue(audit.contains("ca.rollover") && audit.contains("ca.recertify"), audit);
        assertEquals(0, cli("audit", "verify").exit());
        for (String serial : new String[]{report.get("newWithOldSerial").asText(), report.get("oldWithNewSerial").asText(), report.get("newSerial").asText()}) {
            Cli.Run shown = cli("cert", "show", serial);
            assertEquals(0, shown.exit(), shown::toString);
        }

        // A second rollover names the next generation; rolling an issuing CA over is refused with the reason.
        Cli.Run refused = cli("ca", "rollover", "ldevid-ca");
        assertEquals(ExitCodes.BAD_INPUT, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("is not a root"), refused::toString);
        Cli.Run taken = cli("ca", "rollover", "root", "--name", "partner-root");
        assertEquals(ExitCodes.CONFLICT, taken.exit(), taken::toString);
    }

    @Test
    void aCrossCertificateLetsAnotherRootVouchForAnIssuingCa() throws Exception {
        init();
        Path partnerRoot = copy("partner-root.pem", "partner-root.pem");
        Path leaf = leaf("cross-leaf");
        Path cross = dir.resolve("ldevid-ca-by-partner.pem");
        Cli.Run r = cli("ca", "cross-sign", "--ca", "ldevid-ca", "--by", "partner-root", "--out", cross.toString());
        assertEquals(0, r.exit(), r::toString);

        Peers.Result ok = verify(partnerRoot, cross, leaf);
        assertEquals(0, ok.exit(), ok::all);
        Peers.Result without = verify(partnerRoot, copy("ldevid-ca.pem", "ldevid-ca.pem"), leaf);
        assertNotEquals(0, without.exit(), without::all);

        String audit = cli("audit", "list", "--json").out();
        assertTrue(audit.contains("ca.cross-sign"), audit);
        Cli.Run self = cli("ca", "cross-sign", "--ca", "root", "--by", "root", "--out", dir.resolve("x.pem").toString());
        assertEquals(ExitCodes.BAD_INPUT, self.exit(), self::toString);
        Cli.Run unknown = cli("ca", "cross-sign", "--ca", "nope", "--by", "root", "--out", dir.resolve("y.pem").toString());
        assertEquals(ExitCodes.NOT_FOUND, unknown.exit(), unknown::toString);
        assertFalse(Files.exists(dir.resolve("x.pem")) || Files.exists(dir.resolve("y.pem")));
    }
}
