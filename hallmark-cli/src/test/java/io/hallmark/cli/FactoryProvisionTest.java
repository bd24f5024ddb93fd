package io.hallmark.cli;

import io.hallmark.cli.TokenShell.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code factory provision} into SoftHSM2 tokens standing in for devices' secure elements: the key is made on the
 * token and stays there (pkcs11-tool shows it sensitive and never extractable), the IDevID comes back onto the token
 * under the key's id and label, openssl verifies it against the CA chain, and the JDK's own PKCS#11 key store finds
 * key and certificate in a fresh process.
 */
class FactoryProvisionTest {

    private static final String PIN = "2580";
    /** "idevid" in hex: the CKA_ID pkcs11-tool prints. */
    static final String ID = "696465766964";

    @TempDir
    Path dir;
    Path data;
    Path pinFile;
    SoftHsmTokens tokens;

    @BeforeEach
    void installation() throws Exception {
        tokens = new SoftHsmTokens(dir);
        tokens.init("device-a", PIN);
        tokens.init("device-b", PIN);
        pinFile = dir.resolve("pin");
        Files.writeString(pinFile, PIN + "\n");
        data = dir.resolve("data");
        Result init = tokens.hallmark(data, "quickstart", "--no-serve", "--devices", "0", "--hostname", "pki.example.com");
        assertEquals(0, init.exit(), init::toString);
    }

    private Result provision(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("factory", "provision", "--pkcs11-library", SoftHsmTokens.LIBRARY,
                "--pkcs11-pin-file", pinFile.toString()));
        args.addAll(List.of(more));
        return tokens.hallmark(data, args.toArray(String[]::new));
    }

    @Test
    void keysAreMadeOnTheTokensAndTheIdevidsComeBackOntoThem() throws Exception {
        Path out = dir.resolve("out");
        Result run = provision("--pkcs11-token", "device-a", "--serial-number", "SN-A", "--pkcs11-token", "device-b",
                "--serial-number", "SN-B", "--out", out.toString());
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("provisioned 2 of 2 devices (2 new"), run::toString);

        assertDeviceKeyAndCertificate(tokens.objects("device-a", PIN), "SN-A", 3);
        assertDeviceKeyAndCertificate(tokens.objects("device-b", PIN), "SN-B", 3);

        // The certificate read back from the token verifies against the root with the issuing CA, and is for the token's key.
        Path pem = tokens.readObject(SoftHsmTokens.LIBRARY, "device-a", "cert", ID);
        tokens.assertVerifies(pem, data, "idevid-ca");
        Path publicKey = tokens.readObject(SoftHsmTokens.LIBRARY, "device-a", "pubkey", ID);
        Result certKey = tokens.exec(List.of("openssl", "x509", "-in", pem.toString(), "-noout", "-pubkey"));
        assertEquals(Files.readString(publicKey), certKey.out(), "the certificate is for the key on the token");
        // Nothing of the key in the output: bundles hold certificates only.
        try (var files = Files.walk(out)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".key")).toList());
        }

        // The JDK's PKCS#11 key store, in a new process, lists the key with its IDevID and chain.
        String keytool = tokens.keytool(SoftHsmTokens.LIBRARY, "device-a", PIN);
        assertTrue(keytool.contains("Alias name: idevid") && keytool.contains("Entry type: PrivateKeyEntry")
                && keytool.contains("Certificate chain length: 3") && keytool.contains("SERIALNUMBER=SN-A"), keytool);
        assertEquals(1, keytool.split("Alias name:", -1).length - 1, keytool);

        // The key's storage is recorded with the certificate and reported.
        String serial = Files.readAllLines(out.resolve("manifest.csv")).get(1).split(",")[2];
        Result show = tokens.hallmark(data, "cert", "show", serial, "--json");
        assertEquals(0, show.exit(), show::toString);
        assertTrue(show.out().contains("\"keyStorage\" : \"secure-element\""), show::toString);

        // Run again: the keys are found, not made again; the stored certificates come back (existing) and are rewritten.
        Result again = provision("--pkcs11-token", "device-a", "--serial-number", "SN-A", "--pkcs11-token", "device-b",
                "--serial-number", "SN-B", "--out", out.toString());
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().contains("(0 new, 2 already issued, 0 refused)"), again::toString);
        String objects = tokens.objects("device-a", PIN);
        assertEquals(1, io.hallmark.testing.Pkcs11ToolListing.blocks(objects, "Private Key Object").size(), objects);
        assertEquals(3, io.hallmark.testing.Pkcs11ToolListing.blocks(objects, "Certificate Object").size(), objects);

        // A provisioned token given another device's serial number is refused before anything is sent.
        Result swapped = provision("--pkcs11-token", "device-a", "--serial-number", "SN-B", "--out", dir.resolve("swapped").toString());
        assertEquals(ExitCodes.BAD_INPUT, swapped.exit(), swapped::toString);
        assertTrue(swapped.err().contains("token 'device-a' already holds the certificate of device 'SN-A'"), swapped::toString);
    }

    /**
     * One private key on the token, named by the key label in CKA_LABEL and CKA_ID, made there and never readable,
     * able only to sign; the device's certificate under the same id and label; {@code certificates} in all.
     */
    static void assertDeviceKeyAndCertificate(String objects, String serialNumber, int certificates) {
        List<String> keys = io.hallmark.testing.Pkcs11ToolListing.blocks(objects, "Private Key Object; EC");
        assertEquals(1, keys.size(), objects);
        String key = keys.getFirst();
        assertTrue(key.contains("label:      idevid") && key.contains("ID:         " + ID), key);
        Matcher access = Pattern.compile("Access:\\s*(.*)").matcher(key);
        assertTrue(access.find(), key);
        assertTrue(access.group(1).contains("sensitive") && access.group(1).contains("always sensitive")
                && access.group(1).contains("never extractable") && access.group(1).contains("local"), key);
        assertTrue(Pattern.compile("Usage:\\s*sign\\s*\n").matcher(key).find(), "the device key only signs: " + key);
        // The certificate under the key's id and label; the CA chain beside it (no label, no id of the key's).
        List<String> all = io.hallmark.testing.Pkcs11ToolListing.blocks(objects, "Certificate Object");
        assertEquals(certificates, all.size(), objects);
        List<String> own = all.stream().filter(c -> c.contains("ID:         " + ID + "\n")).toList();
        assertEquals(1, own.size(), objects);
        assertTrue(own.getFirst().contains("label:      idevid") && own.getFirst().contains("serialNumber=" + serialNumber), own.getFirst());
    }

    @Test
    void aStationCrashAfterTheKeyWasMadeIsCompletedByRunningAgain() throws Exception {
        // A first run whose batch is refused (no such profile) has already made the key, with its placeholder certificate.
        Result refused = provision("--pkcs11-token", "device-a", "--serial-number", "SN-C", "--profile", "nope", "--out", dir.resolve("o1").toString());
        assertFalse(refused.exit() == 0, refused::toString);
        String before = tokens.objects("device-a", PIN);
        assertEquals(1, io.hallmark.testing.Pkcs11ToolListing.blocks(before, "Private Key Object").size(), before);
        assertTrue(before.contains("awaiting certificate"), before);
        String point = io.hallmark.testing.Pkcs11ToolListing.blocks(before, "Public Key Object").getFirst();

        Result run = provision("--pkcs11-token", "device-a", "--serial-number", "SN-C", "--key-storage", "tpm", "--no-chain", "--out", dir.resolve("o2").toString());
        assertEquals(0, run.exit(), run::toString);
        String after = tokens.objects("device-a", PIN);
        assertEquals(point, io.hallmark.testing.Pkcs11ToolListing.blocks(after, "Public Key Object").getFirst(), "the same key, not a second one");
        assertDeviceKeyAndCertificate(after, "SN-C", 1); // --no-chain: the IDevID alone, the placeholder replaced
        Result list = tokens.hallmark(data, "cert", "list", "--device", "SN-C", "--json");
        assertTrue(list.out().contains("\"keyStorage\" : \"tpm\""), list::toString);
    }

    @Test
    void remotelyAsAStationThroughTheServer() throws Exception {
        Path station = dir.resolve("station");
        Result created = tokens.hallmark(data, "station", "create", "--name", "line-9", "--ca", "idevid-ca", "--profile", "idevid",
                "--out", station.toString());
        assertEquals(0, created.exit(), created::toString);
        try (ServeProcess serve = ServeProcess.start(java.util.Map.of(), "--data", data.toString())) {
            Path out = dir.resolve("remote");
            Result run = provision("--server", serve.httpsUri, "--station-cert", station.resolve("station.pem").toString(),
                    "--station-key", station.resolve("station.key").toString(), "--ca-cert", data.resolve("ca/root.pem").toString(),
                    "--pkcs11-token", "device-b", "--serial-number", "SN-R", "--out", out.toString(), "--json");
            assertEquals(0, run.exit(), run::toString);
            assertTrue(run.out().contains("\"issued\" : 1"), run::toString);
        }
        String objects = tokens.objects("device-b", PIN);
        assertTrue(io.hallmark.testing.Pkcs11ToolListing.blocks(objects, "Certificate Object").stream().anyMatch(c -> c.contains("serialNumber=SN-R")), objects);
        Result show = tokens.hallmark(data, "cert", "list", "--device", "SN-R", "--json");
        assertTrue(show.out().contains("\"station\" : \"line-9\"") && show.out().contains("\"keyStorage\" : \"secure-element\""), show::toString);
    }

    @Test
    void badInputIsOneLineWithItsExitCode() throws Exception {
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "0000\n");
        Result wrongPin = tokens.hallmark(data, "factory", "provision", "--pkcs11-library", SoftHsmTokens.LIBRARY, "--pkcs11-pin-file", wrong.toString(),
                "--pkcs11-token", "device-a", "--serial-number", "SN-1", "--out", dir.resolve("o").toString());
        assertEquals(ExitCodes.FORBIDDEN, wrongPin.exit(), wrongPin::toString);
        assertTrue(wrongPin.err().contains("cannot log in to PKCS#11 token 'device-a'") && !wrongPin.all().contains("0000"), wrongPin::toString);

        Result unknown = provision("--pkcs11-token", "device-z", "--serial-number", "SN-1", "--out", dir.resolve("o").toString());
        assertEquals(ExitCodes.NOT_FOUND, unknown.exit(), unknown::toString);
        assertTrue(unknown.err().contains("no PKCS#11 token labelled 'device-z'") && unknown.err().contains("'device-a'"), unknown::toString);

        Result software = provision("--pkcs11-token", "device-a", "--serial-number", "SN-1", "--key-storage", "software", "--out", dir.resolve("o").toString());
        assertEquals(ExitCodes.BAD_INPUT, software.exit(), software::toString);
        assertTrue(software.err().contains("--key-storage must be secure-element or tpm"), software::toString);

        Result twice = provision("--pkcs11-token", "device-a", "--serial-number", "SN-1", "--pkcs11-token", "device-a", "--serial-number", "SN-2",
                "--out", dir.resolve("o").toString());
        assertEquals(ExitCodes.BAD_INPUT, twice.exit(), twice::toString);
        assertTrue(twice.err().contains("token 'device-a' is given twice"), twice::toString);
        String objects = tokens.objects("device-a", PIN);
        assertEquals(0, io.hallmark.testing.Pkcs11ToolListing.blocks(objects, "Private Key Object").size(), "nothing was made on a refused run: " + objects);
    }
}
