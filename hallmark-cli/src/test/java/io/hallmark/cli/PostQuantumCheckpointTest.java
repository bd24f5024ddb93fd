package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audit checkpoints of an installation with a post-quantum root carry a second signature line, by an audit key of the
 * root's algorithm; each verifier key checks its own line, and one altered line fails only its own key. Without a
 * post-quantum root the note keeps its single Ed25519 line.
 */
class PostQuantumCheckpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DASH = "\u2014 ";

    @TempDir
    Path dir;

    private static List<String> signatureLines(String note) {
        return note.substring(note.lastIndexOf("\n\n") + 2).lines().toList();
    }

    private static byte[] lineBytes(String line) {
        return Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
    }

    /** The note with the signature of line {@code index} altered by one bit. */
    private static String alter(String note, int index) {
        int split = note.lastIndexOf("\n\n");
        List<String> lines = new java.util.ArrayList<>(signatureLines(note));
        String line = lines.get(index);
        byte[] raw = lineBytes(line);
        raw[raw.length - 10] ^= 1;
        lines.set(index, line.substring(0, line.lastIndexOf(' ') + 1) + Base64.getEncoder().encodeToString(raw));
        return note.substring(0, split + 2) + String.join("\n", lines) + "\n";
    }

    private static long auditKeyEntries(Path data) throws Exception {
        JsonNode entries = JSON.readTree(Cli.ok(data, "audit", "list", "--limit", "1000", "--json").out());
        long n = 0;
        for (JsonNode e : entries) {
            if (e.get("action").asText().equals("audit.key")) n++;
        }
        return n;
    }

    @Test
    void anMlDsa65RootAddsAnMlDsa65LineThatItsOwnVerifierKeyChecks() throws Exception {
        Path data = dir.resolve("data");
        Cli.ok(data, "init");
        Cli.ok(data, "ca", "create", "--name", "pq-root", "--algorithm", "ml-dsa-65", "--subject", "CN=PQ Root,O=T");
        Path cp = dir.resolve("cp.txt");
        Path vkey = dir.resolve("audit.vkey");
        Path pqVkey = dir.resolve("audit-pq.vkey");
        Cli.Run taken = Cli.ok(data, "audit", "checkpoint", "--out", cp.toString(), "--vkey-out", vkey.toString(), "--pq-vkey-out", pqVkey.toString());
        assertTrue(taken.out().contains("signed by: ed25519 hallmark-audit/") && taken.out().contains(", ml-dsa-65 hallmark-audit/"), taken::toString);
        String note = Files.readString(cp);
        List<String> lines = signatureLines(note);
        assertEquals(2, lines.size(), note);
        String ed = Files.readString(vkey).strip();
        String pq = Files.readString(pqVkey).strip();
        String name = ed.substring(0, ed.indexOf('+'));
        assertTrue(pq.startsWith(name + "+"), "both keys sign under the log's name: " + pq.substring(0, 80));
        assertTrue(lines.get(0).startsWith(DASH + name + " ") && lines.get(1).startsWith(DASH + name + " "), note);
        assertEquals(4 + 64, lineBytes(lines.get(0)).length, "Ed25519 line first");
        assertEquals(4 + 3309, lineBytes(lines.get(1)).length, "an ML-DSA-65 signature has 3309 bytes");
        independentlyVerifiesTheMlDsaLine(note, pq);
        opensslVerifiesTheEd25519Line(note, ed);

        // The installation's keys: both lines checked; each verifier key: its own line.
        Cli.Run both = Cli.ok(data, "audit", "verify", "--checkpoint", cp.toString());
        assertTrue(both.out().contains("signatures verified: ed25519 " + name) && both.out().contains(", ml-dsa-65 " + name), both::toString);
        Cli.Run withPq = Cli.ok(data, "audit", "verify", "--checkpoint", cp.toString(), "--vkey", pqVkey.toString());
        assertTrue(withPq.out().contains("signatures verified: ml-dsa-65 " + name) && !withPq.out().contains("ed25519"), withPq::toString);
        Cli.Run withEd = Cli.ok(data, "audit", "verify", "--checkpoint", cp.toString(), "--vkey", vkey.toString());
        assertTrue(withEd.out().contains("signatures verified: ed25519 " + name) && !withEd.out().contains("ml-dsa-65"), withEd::toString);
        JsonNode json = JSON.readTree(Cli.ok(data, "audit", "verify", "--checkpoint", cp.toString(), "--json").out());
        assertEquals(2, json.get("verified").size(), json::toString);

        // The PQ line altered: fails with the PQ key (and with the installation's, which checks both), still verifies with Ed25519.
        Path pqAltered = Files.writeString(dir.resolve("pq-altered.txt"), alter(note, 1));
        Cli.Run pqFails = Cli.run(data, "audit", "verify", "--checkpoint", pqAltered.toString(), "--vkey", pqVkey.toString());
        assertEquals(ExitCodes.AUDIT_BROKEN, pqFails.exit(), pqFails::toString);
        assertTrue(pqFails.err().contains("ml-dsa-65 signature of " + name + " does not verify"), pqFails::toString);
        Cli.Run installationFails = Cli.run(data, "audit", "verify", "--checkpoint", pqAltered.toString());
        assertEquals(ExitCodes.AUDIT_BROKEN, installationFails.exit(), installationFails::toString);
        Cli.Run edStillOk = Cli.ok(data, "audit", "verify", "--checkpoint", pqAltered.toString(), "--vkey", vkey.toString());
        assertTrue(edStillOk.out().contains("signatures verified: ed25519"), edStillOk::toString);

        // And the other way round.
        Path edAltered = Files.writeString(dir.resolve("ed-altered.txt"), alter(note, 0));
        Cli.Run edFails = Cli.run(data, "audit", "verify", "--checkpoint", edAltered.toString(), "--vkey", vkey.toString());
        assertEquals(ExitCodes.AUDIT_BROKEN, edFails.exit(), edFails::toString);
        assertTrue(edFails.err().contains("ed25519 signature of " + name + " does not verify"), edFails::toString);
        Cli.Run pqStillOk = Cli.ok(data, "audit", "verify", "--checkpoint", edAltered.toString(), "--vkey", pqVkey.toString());
        assertTrue(pqStillOk.out().contains("signatures verified: ml-dsa-65"), pqStillOk::toString);

        // The key is made once and announced like the Ed25519 one; the next checkpoint reuses both.
        assertEquals(2, auditKeyEntries(data));
        Path cp2 = dir.resolve("cp2.txt");
        Cli.ok(data, "audit", "checkpoint", "--out", cp2.toString());
        assertEquals(2, auditKeyEntries(data));
        Cli.ok(data, "audit", "verify", "--checkpoint", cp2.toString(), "--vkey", pqVkey.toString());
        String audit = Cli.ok(data, "audit", "list", "--json").out();
        assertTrue(audit.contains("\"algorithm\":\"ml-dsa-65\"") || audit.contains("algorithm\\\":\\\"ml-dsa-65"), audit);
        assertTrue(audit.contains("postQuantumKey"), audit);

        // A newer post-quantum root of another algorithm: the next checkpoint's second line follows it, with a new key.
        Cli.ok(data, "ca", "create", "--name", "slh-root", "--algorithm", "slh-dsa-sha2-128f", "--subject", "CN=SLH Root,O=T");
        Path cp3 = dir.resolve("cp3.txt");
        Path slhVkey = dir.resolve("audit-slh.vkey");
        Cli.Run rotated = Cli.ok(data, "audit", "checkpoint", "--out", cp3.toString(), "--pq-vkey-out", slhVkey.toString());
        assertTrue(rotated.out().contains(", slh-dsa-sha2-128f " + name), rotated::toString);
        assertEquals(3, auditKeyEntries(data));
        assertEquals(4 + 17088, lineBytes(signatureLines(Files.readString(cp3)).get(1)).length, "an SLH-DSA-SHA2-128f signature has 17088 bytes");
        Cli.Run slh = Cli.ok(data, "audit", "verify", "--checkpoint", cp3.toString(), "--vkey", slhVkey.toString());
        assertTrue(slh.out().contains("signatures verified: slh-dsa-sha2-128f " + name), slh::toString);
        Cli.Run oldKeyNewNote = Cli.run(data, "audit", "verify", "--checkpoint", cp3.toString(), "--vkey", pqVkey.toString());
        assertEquals(ExitCodes.AUDIT_BROKEN, oldKeyNewNote.exit(), oldKeyNewNote::toString);
        assertTrue(oldKeyNewNote.err().contains("key ID differs"), oldKeyNewNote::toString);
        Cli.ok(data, "audit", "verify", "--checkpoint", cp.toString(), "--vkey", pqVkey.toString()); // the old key still checks old notes
    }

    @Test
    void withoutAPostQuantumRootTheNoteKeepsItsSingleEd25519Line() throws Exception {
        Path data = dir.resolve("data");
        Cli.ok(data, "init");
        Path cp = dir.resolve("cp.txt");
        Path vkey = dir.resolve("audit.vkey");
        Path pqVkey = dir.resolve("audit-pq.vkey");
        Cli.Run taken = Cli.ok(data, "audit", "checkpoint", "--out", cp.toString(), "--vkey-out", vkey.toString(), "--pq-vkey-out", pqVkey.toString());
        assertTrue(taken.err().contains("no post-quantum line"), taken::toString);
        assertFalse(Files.exists(pqVkey));
        String note = Files.readString(cp);
        String ed = Files.readString(vkey).strip();
        String[] parts = ed.split("\\+", 3);
        byte[] typed = Base64.getDecoder().decode(parts[2]);
        assertEquals(33, typed.length);
        assertEquals(1, typed[0]);
        // Byte for byte the format of before: the body, a blank line, one Ed25519 line of keyID || 64-byte signature.
        int split = note.lastIndexOf("\n\n");
        String text = note.substring(0, split + 1);
        assertEquals(4, text.lines().count(), "origin, size, head hash, time");
        assertTrue(text.startsWith(parts[0] + "\n") && text.lines().toList().get(3).startsWith("time "), text);
        List<String> lines = signatureLines(note);
        assertEquals(1, lines.size(), note);
        byte[] raw = lineBytes(lines.getFirst());
        assertEquals(68, raw.length);
        assertEquals(text + "\n" + DASH + parts[0] + " " + Base64.getEncoder().encodeToString(raw) + "\n", note);
        assertEquals(parts[1], HexFormat.of().formatHex(raw, 0, 4));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(typed, 1, 33)))));
        verifier.update(text.getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(Arrays.copyOfRange(raw, 4, raw.length)));
        Cli.Run verified = Cli.ok(data, "audit", "verify", "--checkpoint", cp.toString());
        assertTrue(verified.out().contains("signatures verified: ed25519 " + parts[0] + "+" + parts[1]) && !verified.out().contains(", "),
                verified::toString);
        assertEquals(1, auditKeyEntries(data));
        assertFalse(Cli.ok(data, "audit", "list", "--json").out().contains("postQuantumKey"));
    }

    /**
     * A vault that holds the Ed25519 audit key but refuses post-quantum keys (a token with EdDSA and without ML-DSA; the
     * PKCS#11 vault's own refusal text): the checkpoint keeps its Ed25519 line only, and says why.
     */
    @Test
    void aVaultThatRefusesPostQuantumKeysLeavesTheEd25519LineAndAWarning() throws Exception {
        Path data = dir.resolve("data");
        Cli.ok(data, "init");
        Cli.ok(data, "ca", "create", "--name", "pq-root", "--algorithm", "ml-dsa-65", "--subject", "CN=PQ Root,O=T");
        var software = new io.hallmark.core.vault.SoftwareKeyVault(data.resolve("keys"),
                () -> io.hallmark.core.vault.Passphrase.resolve(data, false));
        io.hallmark.core.vault.KeyVault edOnly = new io.hallmark.core.vault.KeyVault() {
            @Override
            public String scheme() {
                return software.scheme();
            }

            @Override
            public String refusal(io.hallmark.core.crypto.KeyAlgorithm algorithm) {
                return algorithm.postQuantum() ? "the PKCS#11 vault cannot hold " + algorithm.id() + " keys" : null;
            }

            @Override
            public io.hallmark.core.vault.KeyHandle generate(String label, io.hallmark.core.crypto.KeyAlgorithm algorithm) {
                if (refusal(algorithm) != null) throw new AssertionError("asked for a key it refuses: " + algorithm);
                return software.generate(label, algorithm);
            }

            @Override
            public io.hallmark.core.vault.KeyHandle open(String ref) {
                return software.open(ref);
            }
        };
        try (var hallmark = new io.hallmark.core.Hallmark(io.hallmark.store.JdbcStore.open(data, null),
                new io.hallmark.core.vault.KeyVaults(edOnly), java.time.Clock.systemUTC())) {
            var taken = hallmark.checkpoints().takeCheckpoint("test", "cp.txt");
            assertEquals(1, taken.signers().size());
            assertEquals(1, signatureLines(taken.note()).size(), taken.note());
            assertTrue(taken.warning().contains("ml-dsa-65 root CA") && taken.warning().contains("Ed25519 signature only")
                    && taken.warning().contains("cannot hold ml-dsa-65 keys"), taken.warning());
            assertTrue(hallmark.checkpoints().postQuantumVerifierKey().isEmpty());
        }
        assertEquals(1, auditKeyEntries(data));
    }

    /**
     * The first line, as a verifier that knows only the Ed25519 key reads the two-line note: it skips the line whose key
     * ID it does not know, and openssl verifies the Ed25519 signature over the note's text.
     */
    private void opensslVerifiesTheEd25519Line(String note, String vkey) {
        io.hallmark.testing.Peers.tool("openssl");
        String[] parts = vkey.split("\\+", 3);
        byte[] typed = Base64.getDecoder().decode(parts[2]);
        List<String> known = signatureLines(note).stream().filter(l -> HexFormat.of().formatHex(lineBytes(l), 0, 4).equals(parts[1])).toList();
        assertEquals(1, known.size(), "one line of the Ed25519 key; the other is of a key this verifier does not know");
        byte[] raw = lineBytes(known.getFirst());
        try {
            Files.writeString(dir.resolve("ed-pub.pem"), "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(
                    HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(typed, 1, 33))) + "\n-----END PUBLIC KEY-----\n");
            Files.write(dir.resolve("note-text"), note.substring(0, note.lastIndexOf("\n\n") + 1).getBytes(StandardCharsets.UTF_8));
            Files.write(dir.resolve("note-sig"), Arrays.copyOfRange(raw, 4, raw.length));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        io.hallmark.testing.Peers.Result r = io.hallmark.testing.Peers.run(dir, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "ed-pub.pem",
                "-rawin", "-in", "note-text", "-sigfile", "note-sig");
        assertEquals(0, r.exit(), r::all);
        assertTrue(r.all().contains("Signature Verified Successfully"), r::all);
    }

    /**
     * The second line checked without Hallmark's code: the key ID recomputed as signed-note defines it for type 0xff
     * (name, newline, 0xff, the DER OID of ML-DSA-65, the key), and the signature verified by the JDK's own ML-DSA.
     */
    private static void independentlyVerifiesTheMlDsaLine(String note, String vkey) throws Exception {
        String[] parts = vkey.split("\\+", 3);
        byte[] typed = Base64.getDecoder().decode(parts[2]);
        byte[] mlDsa65Oid = HexFormat.of().parseHex("0609608648016503040312"); // 2.16.840.1.101.3.4.3.18
        assertEquals((byte) 0xff, typed[0]);
        assertTrue(Arrays.equals(typed, 1, 1 + mlDsa65Oid.length, mlDsa65Oid, 0, mlDsa65Oid.length), "0xff then the DER OID of ML-DSA-65");
        byte[] publicKey = Arrays.copyOfRange(typed, 1 + mlDsa65Oid.length, typed.length);
        assertEquals(1952, publicKey.length, "an ML-DSA-65 public key has 1952 bytes");
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update((parts[0] + "\n").getBytes(StandardCharsets.UTF_8));
        digest.update(typed);
        assertEquals(parts[1], HexFormat.of().formatHex(digest.digest(), 0, 4));
        int split = note.lastIndexOf("\n\n");
        byte[] raw = lineBytes(signatureLines(note).get(1));
        assertEquals(parts[1], HexFormat.of().formatHex(raw, 0, 4), "the line names the key by its ID");
        // SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID }, BIT STRING { 0x00 || key } }
        byte[] spki = HexFormat.of().parseHex("308207b2300b0609608648016503040312038207a100" + HexFormat.of().formatHex(publicKey));
        Signature verifier = Signature.getInstance("ML-DSA-65", "SUN");
        verifier.initVerify(KeyFactory.getInstance("ML-DSA-65", "SUN").generatePublic(new X509EncodedKeySpec(spki)));
        verifier.update(note.substring(0, split + 1).getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(Arrays.copyOfRange(raw, 4, raw.length)), "the JDK verifies the ML-DSA-65 line");
    }
}
