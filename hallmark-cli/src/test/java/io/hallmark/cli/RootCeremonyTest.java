package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The root key ceremony, 5 shares, threshold 3, through the real command line: the transcript's signature checked by
 * openssl; every 3 of the 5 shares restore the same root key into a new installation, which then signs a CA certificate
 * and a CRL that openssl verifies against the ceremony's root.pem; 2 shares restore nothing; a share with one byte
 * flipped, one of another ceremony and one altered with a fresh checksum are each refused and named.
 */
class RootCeremonyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path out;
    static String ceremonyId;
    static String rootSha256;

    @BeforeAll
    static void ceremony() throws Exception {
        out = dir.resolve("ceremony");
        Cli.Run run = Cli.run(dir.resolve("origin"), "ceremony", "root", "--shares", "5", "--threshold", "3", "--out", out.toString(),
                "--participant", "Alice Smith, ceremony administrator", "--participant", "Bob Jones, witness",
                "--share-holder", "Carol", "--share-holder", "Dan", "--share-holder", "Erin", "--share-holder", "Frank",
                "--share-holder", "Grace", "--json");
        assertEquals(0, run.exit(), run.toString());
        JsonNode result = JSON.readTree(run.out());
        ceremonyId = result.get("ceremony").asText();
        rootSha256 = result.get("rootSha256").asText();
        assertEquals(10, result.get("combinationsChecked").asInt(), run.out());
    }

    @Test
    void theTranscriptIsSignedByTheRootAndOpensslVerifiesIt() throws Exception {
        Path openssl = Peers.tool("openssl");
        String transcript = Files.readString(out.resolve("transcript.txt"));
        for (String expected : List.of(ceremonyId, rootSha256, "Alice Smith, ceremony administrator", "Bob Jones, witness",
                "share-3  holder: Erin", "any 3 of 5")) {
            assertTrue(transcript.contains(expected), expected + " missing from\n" + transcript);
        }
        Peers.Result verified = Peers.run(out, openssl.toString(), "cms", "-verify", "-binary", "-inform", "PEM", "-in", "transcript.p7s",
                "-content", "transcript.txt", "-CAfile", "root.pem", "-purpose", "any", "-out", "/dev/null");
        assertEquals(0, verified.exit(), verified.all());
        assertTrue(verified.err().contains("Verification successful"), verified.all());

        Peers.Result fingerprint = Peers.run(out, openssl.toString(), "x509", "-in", "root.pem", "-noout", "-fingerprint", "-sha256");
        assertEquals("sha256 Fingerprint=" + rootSha256, fingerprint.out().strip(), "the transcript names root.pem by openssl's fingerprint");
        Peers.Result spki = Peers.run(out, "sh", "-c", openssl + " x509 -in root.pem -noout -pubkey | " + openssl
                + " pkey -pubin -outform DER | " + openssl + " dgst -sha256 -r");
        assertTrue(transcript.contains(spki.out().split(" ")[0]), "SPKI hash " + spki.all() + " not in the transcript");

        Path edited = dir.resolve("edited-transcript.txt");
        Files.writeString(edited, transcript.replace("Bob Jones, witness", "Mallory, witness"));
        Peers.Result refused = Peers.run(out, openssl.toString(), "cms", "-verify", "-binary", "-inform", "PEM", "-in", "transcript.p7s",
                "-content", edited.toString(), "-CAfile", "root.pem", "-purpose", "any", "-out", "/dev/null");
        assertNotEquals(0, refused.exit(), "an edited transcript must fail: " + refused.all());
    }

    @Test
    void everyThreeOfTheFiveSharesRestoreTheSameRootKey() throws Exception {
        Path openssl = Peers.tool("openssl");
        String rootPem = Files.readString(out.resolve("root.pem"));
        String originalPublicKey = publicKeyFile(dir.resolve("origin"));
        Set<String> publicKeys = new HashSet<>();
        int restored = 0;
        for (int a = 1; a <= 5; a++) {
            for (int b = a + 1; b <= 5; b++) {
                for (int c = b + 1; c <= 5; c++) {
                    Path target = dir.resolve("restored-" + a + b + c);
                    Cli.Run run = Cli.run(target, "ceremony", "restore", "--backup", out.resolve("root-backup.enc").toString(),
                            "--share", share(a), "--share", share(b), "--share", share(c));
                    assertEquals(0, run.exit(), run.toString());
                    assertTrue(run.out().contains(rootSha256), run.out());
                    assertEquals(rootPem, Files.readString(target.resolve("ca/root.pem")));
                    publicKeys.add(publicKeyFile(target));
                    // The key restored signs as the ceremony's root: a CRL that openssl checks against root.pem alone.
                    ok(Cli.run(target, "crl", "generate", "--ca", "root", "--out", target.resolve("root.crl").toString()));
                    Peers.Result crl = Peers.run(target, openssl.toString(), "crl", "-inform", "DER", "-in", "root.crl",
                            "-CAfile", out.resolve("root.pem").toString(), "-noout");
                    assertEquals(0, crl.exit(), a + "" + b + c + ": " + crl.all());
                    assertTrue(crl.all().contains("verify OK"), crl.all());
                    restored++;
                }
            }
        }
        assertEquals(10, restored);
        assertEquals(Set.of(originalPublicKey), publicKeys, "every combination restores the ceremony's key");
    }

    @Test
    void theRestoredRootSignsWhatOpensslVerifiesAgainstTheOriginalRootPem() throws Exception {
        Path openssl = Peers.tool("openssl");
        Path target = dir.resolve("restored-signing");
        ok(Cli.run(target, "ceremony", "restore", "--backup", out.resolve("root-backup.enc").toString(),
                "--share", share(5), "--share", share(2), "--share", share(4)));
        ok(Cli.run(target, "init")); // the CAs below the root, signed by the restored key
        String rootPem = out.resolve("root.pem").toString();
        Peers.Result verify = Peers.run(target, openssl.toString(), "verify", "-x509_strict", "-CAfile", rootPem, "ca/ldevid-ca.pem");
        assertEquals(0, verify.exit(), verify.all());

        ok(Cli.run(target, "crl", "generate", "--ca", "root", "--out", target.resolve("root.crl").toString()));
        Peers.Result crl = Peers.run(target, openssl.toString(), "crl", "-inform", "DER", "-in", "root.crl", "-CAfile", rootPem, "-noout");
        assertEquals(0, crl.exit(), crl.all());
        assertTrue(crl.all().contains("verify OK"), crl.all());

        Cli.Run audit = Cli.run(target, "audit", "verify");
        assertEquals(0, audit.exit(), audit.toString());
    }

    @Test
    void twoSharesRestoreNothingAndSaySo() {
        Path target = dir.resolve("two");
        Cli.Run run = Cli.run(target, "ceremony", "restore", "--backup", out.resolve("root-backup.enc").toString(),
                "--share", share(1), "--share", share(4));
        assertEquals(ExitCodes.BAD_INPUT, run.exit(), run.toString());
        assertTrue(run.err().contains("2 shares given, 3 needed: nothing was restored"), run.err());
        assertFalse(Files.exists(target.resolve("ca/root.pem")));
        assertEquals(0, keyFiles(target).size(), "no key stored");
    }

    @Test
    void aShareWithOneFlippedByteIsNamedAndNothingIsRestored() throws Exception {
        byte[] bytes = Files.readAllBytes(out.resolve("share-3"));
        String text = new String(bytes, StandardCharsets.UTF_8);
        int at = text.indexOf("value: ") + 20;
        bytes[at] ^= 0x01;
        Path flipped = dir.resolve("flipped").resolve("share-3");
        Files.createDirectories(flipped.getParent());
        Files.write(flipped, bytes);
        Path target = dir.resolve("with-flipped");
        Cli.Run run = Cli.run(target, "ceremony", "restore", "--backup", out.resolve("root-backup.enc").toString(),
                "--share", share(1), "--share", share(2), "--share", flipped.toString());
        assertEquals(ExitCodes.AUDIT_BROKEN, run.exit(), run.toString());
        assertTrue(run.err().contains("share-3 is corrupted (checksum mismatch); 2 valid shares, 3 needed: nothing was restored"), run.err());
        assertEquals(0, keyFiles(target).size());

        Cli.Run withFourth = Cli.run(target, "ceremony", "restore", "--backup", out.resolve("root-backup.enc").toString(),
                "--share", share(1), "--share", share(2), "--share", flipped.toString(), "--share", share(4));
        assertEquals(ExitCodes.AUDIT_BROKEN, withFourth.exit(), withFourth.toString());
        assertTrue(withFourth.err().contains("share-3 is corrupted (checksum mismatch): nothing was restored (leave it out"), withFourth.err());
    }

    @Test
    void aShareOfAnotherCeremonyIsRefusedByName() throws Exception {
        Path other = dir.resolve("other-ceremony");
        Cli.Run run = Cli.run(dir.resolve("other-origin"), "ceremony", "root", "--shares", "5", "--threshold", "3",
                "--out", other.toString(), "--json");
        assertEquals(0, run.exit(), run.toString());
        String otherId = JSON.readTree(run.out()).get("ceremony").asText();
        Path target = dir.resolve("with-foreign");
        Cli.Run refused = Cli.run(target, "ceremony", "restore", "--backup", out.resolve("root-backup.enc").toString(),
                "--share", share(1), "--share", share(2), "--share", other.resolve("share-4").toString());
        assertEquals(ExitCodes.AUDIT_BROKEN, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("share-4 belongs to ceremony " + otherId + ", not " + ceremonyId), refused.err());
    }

    @Test
    void aShareAlteredWithAFreshChecksumIsNotTheShareTheCeremonyRecorded() throws Exception {
        String text = Files.readString(out.resolve("share-2"));
        String body = text.substring(0, text.indexOf("checksum: "));
        int at = body.indexOf("value: ") + 7;
        String altered = body.substring(0, at) + (body.charAt(at) == '0' ? '1' : '0') + body.substring(at + 1);
        Path forged = dir.resolve("forged").resolve("share-2");
        Files.createDirectories(forged.getParent());
        Files.writeString(forged, altered + "checksum: sha256:" + Fingerprints.sha256Hex(altered.getBytes(StandardCharsets.UTF_8)) + "\n");
        Cli.Run run = Cli.run(dir.resolve("with-forged"), "ceremony", "restore", "--backup", out.resolve("root-backup.enc").toString(),
                "--share", share(1), "--share", forged.toString(), "--share", share(5));
        assertEquals(ExitCodes.AUDIT_BROKEN, run.exit(), run.toString());
        assertTrue(run.err().contains("share-2 says it is share 2 of ceremony " + ceremonyId + ", but is not the share the ceremony recorded"), run.err());
    }

    @Test
    void theCeremonyRefusesAnInstallationWithCasAndAnOutDirectoryInUse() throws Exception {
        Path data = dir.resolve("initialised");
        ok(Cli.run(data, "init"));
        Cli.Run run = Cli.run(data, "ceremony", "root", "--shares", "3", "--threshold", "2", "--out", dir.resolve("unused").toString());
        assertEquals(ExitCodes.CONFLICT, run.exit(), run.toString());
        assertTrue(run.err().contains("a root key ceremony starts a new installation"), run.err());
        assertFalse(Files.exists(dir.resolve("unused")));

        Cli.Run reused = Cli.run(dir.resolve("fresh"), "ceremony", "root", "--shares", "3", "--threshold", "2", "--out", out.toString());
        assertEquals(ExitCodes.CONFLICT, reused.exit(), reused.toString());
        assertTrue(reused.err().contains("is not empty"), reused.err());

        Cli.Run one = Cli.run(dir.resolve("fresh"), "ceremony", "root", "--shares", "3", "--threshold", "1", "--out", dir.resolve("o1").toString());
        assertEquals(ExitCodes.BAD_INPUT, one.exit(), one.toString());
    }

    private static String share(int i) {
        return out.resolve("share-" + i).toString();
    }

    private static void ok(Cli.Run run) {
        assertEquals(0, run.exit(), run.toString());
    }

    /** The root's public key file in the vault: the key the vault checked its private key against. */
    private static String publicKeyFile(Path data) throws Exception {
        List<Path> pubs = new ArrayList<>();
        try (var files = Files.newDirectoryStream(data.resolve("keys"), "root-*.pub.pem")) {
            files.forEach(pubs::add);
        }
        assertEquals(1, pubs.size(), pubs.toString());
        return Files.readString(pubs.getFirst());
    }

    private static List<Path> keyFiles(Path data) {
        if (!Files.isDirectory(data.resolve("keys"))) return List.of();
        try (var files = Files.list(data.resolve("keys"))) {
            return files.toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
