package io.hallmark.cli;

import io.hallmark.testing.Peers;
import io.hallmark.testing.Pkcs11ToolListing;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hallmark.cli.TokenShell.Result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code init --vault pkcs11} against a SoftHSM2 token made for the test ({@link SoftHsmTokens}). */
class Pkcs11VaultCliTest {

    private static final String PIN = "4321";
    private static final String PASSPHRASE = "correct horse battery staple pkcs11";
    private static final String LIBRARY = SoftHsmTokens.LIBRARY;

    @TempDir
    Path dir;
    Path data;
    Path conf;
    Path pinFile;
    SoftHsmTokens tokens;

    @BeforeEach
    void token() throws IOException {
        tokens = new SoftHsmTokens(dir).with("HALLMARK_PASSPHRASE", PASSPHRASE);
        conf = tokens.conf;
        tokens.init("hallmark-test", PIN);
        pinFile = dir.resolve("pin");
        Files.writeString(pinFile, PIN + "\n");
        data = dir.resolve("data");
    }

    @Test
    void caKeysAreMadeOnTheTokenNeverExtractableAndFoundAgainAfterARestart() throws Exception {
        Result init = hallmark("init", "--vault", "pkcs11", "--pkcs11-library", LIBRARY, "--pkcs11-token", "hallmark-test",
                "--pkcs11-pin-file", pinFile.toString());
        assertEquals(0, init.exit(), init::toString);
        String settings = Files.readString(data.resolve("pkcs11.properties"));
        assertTrue(settings.contains("pin-file=") && !settings.contains("=" + PIN + "\n"), settings);

        // No key file for any CA: they are all on the token.
        Path keys = Installation.keys(data);
        if (Files.isDirectory(keys)) {
            try (var files = Files.list(keys)) {
                assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".key.pem")).toList());
            }
        }

        // pkcs11-tool lists one private key per CA (root, idevid-ca, ldevid-ca, clients-ca), each sensitive and never extractable.
        Result objects = exec(List.of(Peers.tool("pkcs11-tool").toString(), "--module", LIBRARY, "--token-label", "hallmark-test",
                "-O", "--login", "--pin", PIN));
        assertEquals(0, objects.exit(), objects::toString);
        List<String> privateKeys = Pkcs11ToolListing.blocks(objects.out(), "Private Key Object");
        assertEquals(4, privateKeys.size(), objects::toString);
        for (String key : privateKeys) {
            Matcher access = Pattern.compile("Access:\\s*(.*)").matcher(key);
            assertTrue(access.find(), key);
            String flags = access.group(1);
            assertTrue(flags.contains("sensitive") && flags.contains("always sensitive") && flags.contains("never extractable"), key);
            assertTrue(Pattern.compile("Usage:\\s*sign\\s*\n").matcher(key).find(), "a CA key only signs: " + key);
        }
        // Each key has its binding certificate under the same id, so SunPKCS11's key store lists it after a restart.
        assertEquals(4, Pkcs11ToolListing.blocks(objects.out(), "Certificate Object").size(), objects::toString);

        // A new process (a restart) finds the keys on the token and issues; openssl verifies the chain.
        Path leaf = dir.resolve("leaf.pem");
        Result issued = hallmark("issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=device-1",
                "--out", leaf.toString());
        assertEquals(0, issued.exit(), issued::toString);
        verify(leaf, "ldevid-ca");

        // And again in yet another process: the keys stay found.
        Path second = dir.resolve("second.pem");
        Result again = hallmark("issue", "--ca", "idevid-ca", "--profile", "idevid", "--generate-key", "--subject", "CN=device-2", "--serial-number", "SN-0002",
                "--out", second.toString());
        assertEquals(0, again.exit(), again::toString);
        verify(second, "idevid-ca");

        // The server, started twice (a restart), finds the CA key on the token: it certifies its OCSP responder with it,
        // and the answer about the leaf verifies against the root.
        for (int start = 0; start < 2; start++) {
            try (ServeProcess serve = ServeProcess.start(java.util.Map.of("SOFTHSM2_CONF", conf.toString(),
                    "HALLMARK_PASSPHRASE", PASSPHRASE), "--data", data.toString())) {
                assertEquals("good", serve.ocspStatus(dir, data.resolve("ca/ldevid-ca.pem"), data.resolve("ca/root.pem"), leaf));
            }
        }

        Result list = hallmark("ca", "list", "--json");
        assertEquals(0, list.exit(), list::toString);
        assertTrue(list.out().contains("pkcs11:token=hallmark-test;object=root-"), list.out());
    }

    @Test
    void aHierarchyFileKeepsTheRootOnTheTokenAndAnIssuingCaInSoftware() throws Exception {
        Path hierarchy = dir.resolve("h.yaml");
        Files.writeString(hierarchy, """
                cas:
                  - name: root
                    subject: CN=Token Root
                    algorithm: ec-p384
                    validity: 10y
                  - name: devices-ca
                    parent: root
                    subject: CN=Software Issuing CA
                    vault: soft
                    profiles: [ldevid]
                """);
        Result init = hallmark("init", "--hierarchy", hierarchy.toString(), "--vault", "pkcs11", "--pkcs11-library", LIBRARY,
                "--pkcs11-token", "hallmark-test", "--pkcs11-pin-file", pinFile.toString());
        assertEquals(0, init.exit(), init::toString);
        try (var files = Files.list(Installation.keys(data))) {
            List<String> keyFiles = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".key.pem")).toList();
            assertEquals(1, keyFiles.size(), keyFiles::toString);
            assertTrue(keyFiles.getFirst().startsWith("devices-ca-"), keyFiles::toString);
        }
        Result objects = exec(List.of(Peers.tool("pkcs11-tool").toString(), "--module", LIBRARY, "--token-label", "hallmark-test",
                "-O", "--login", "--pin", PIN));
        assertEquals(1, Pkcs11ToolListing.blocks(objects.out(), "Private Key Object").size(), objects::toString);
        Path leaf = dir.resolve("leaf.pem");
        Result issued = hallmark("issue", "--ca", "devices-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=device-9",
                "--out", leaf.toString());
        assertEquals(0, issued.exit(), issued::toString);
        verify(leaf, "devices-ca");
    }

    @Test
    void aCloudVerificationCertificateIsSignedOnTheToken() throws Exception {
        Result init = hallmark("init", "--vault", "pkcs11", "--pkcs11-library", LIBRARY, "--pkcs11-token", "hallmark-test",
                "--pkcs11-pin-file", pinFile.toString());
        assertEquals(0, init.exit(), init::toString);
        Path kit = dir.resolve("aws");
        Result register = hallmark("register", "aws", "--ca", "ldevid-ca", "--registration-code", PlatformRegistrationTest.AWS_CODE,
                "--out", kit.toString());
        assertEquals(0, register.exit(), register::toString);
        Result verify = exec(List.of(Peers.tool("openssl").toString(), "verify", "-partial_chain", "-CAfile", kit.resolve("ca.pem").toString(),
                kit.resolve("verification.pem").toString()));
        assertEquals(0, verify.exit(), verify::toString);
        Result subject = exec(List.of("openssl", "x509", "-in", kit.resolve("verification.pem").toString(), "-noout", "-subject", "-nameopt", "RFC2253"));
        assertEquals("subject=CN=" + PlatformRegistrationTest.AWS_CODE, subject.out().strip());
    }

    /** Checkpoints are Ed25519 notes and the token makes no Ed25519 keys: the audit key goes to the software vault. */
    @Test
    void auditCheckpointsWorkOnAnHsmInstallation() throws Exception {
        Result init = hallmark("init", "--vault", "pkcs11", "--pkcs11-library", LIBRARY, "--pkcs11-token", "hallmark-test",
                "--pkcs11-pin-file", pinFile.toString());
        assertEquals(0, init.exit(), init::toString);
        Result checkpoint = hallmark("audit", "checkpoint", "--out", dir.resolve("cp.txt").toString(), "--vkey-out", dir.resolve("audit.vkey").toString());
        assertEquals(0, checkpoint.exit(), checkpoint::toString);
        Result verify = hallmark("audit", "verify", "--checkpoint", dir.resolve("cp.txt").toString(), "--vkey", dir.resolve("audit.vkey").toString());
        assertEquals(0, verify.exit(), verify::toString);
        Result entries = hallmark("audit", "list", "--json");
        assertTrue(entries.out().contains("\"audit.key\"") && entries.out().contains("soft:"), entries::toString);
    }

    @Test
    void ed25519OnTheTokenIsRefusedWithTheReason() throws Exception {
        Path hierarchy = dir.resolve("h.yaml");
        Files.writeString(hierarchy, """
                cas:
                  - name: root
                    subject: CN=Ed Root
                    algorithm: ed25519
                    validity: 10y
                """);
        Result init = hallmark("init", "--hierarchy", hierarchy.toString(), "--vault", "pkcs11", "--pkcs11-library", LIBRARY,
                "--pkcs11-token", "hallmark-test", "--pkcs11-pin-file", pinFile.toString());
        assertNotEquals(0, init.exit(), init::toString);
        assertTrue(init.err().contains("cannot hold Ed25519") && init.err().contains("EdDSA"), init::toString);
        assertFalse(Files.exists(data.resolve("pkcs11.properties")), "a failed init leaves no settings behind");
    }

    @Test
    void aWrongPinIsOneClearLineAndAnUnknownTokenNamesTheTokensThereAre() throws Exception {
        Path wrong = dir.resolve("wrong-pin");
        Files.writeString(wrong, "0000\n");
        Result init = hallmark("init", "--vault", "pkcs11", "--pkcs11-library", LIBRARY, "--pkcs11-token", "hallmark-test",
                "--pkcs11-pin-file", wrong.toString());
        assertNotEquals(0, init.exit(), init::toString);
        assertTrue(init.err().contains("cannot log in to PKCS#11 token 'hallmark-test'"), init::toString);
        assertFalse(init.err().contains("0000"), "the PIN is never printed");

        Result unknown = hallmark("init", "--vault", "pkcs11", "--pkcs11-library", LIBRARY, "--pkcs11-token", "nope",
                "--pkcs11-pin-file", pinFile.toString());
        assertNotEquals(0, unknown.exit(), unknown::toString);
        assertTrue(unknown.err().contains("no PKCS#11 token labelled 'nope'") && unknown.err().contains("'hallmark-test'"), unknown::toString);
    }

    private void verify(Path leaf, String issuer) {
        tokens.assertVerifies(leaf, data, issuer);
    }

    private Result hallmark(String... args) {
        return tokens.hallmark(data, args);
    }

    private Result exec(List<String> command) {
        return tokens.exec(command);
    }
}
