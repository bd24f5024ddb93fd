package io.hallmark.cli;

import io.hallmark.cli.TokenShell.Result;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code factory provision} into a TPM 2.0 (swtpm, through tpm2-pkcs11; {@link SoftwareTpm}): the device key is made
 * by the TPM, the IDevID comes back onto the token under the key's id and label, and the certificate records key
 * storage "tpm".
 */
class FactoryProvisionTpmTest {

    private static final String PIN = "3691";
    private static final String ID = "696465766964";

    @TempDir
    Path dir;

    @Test
    void theKeyIsMadeInTheTpmAndTheIdevidIsStoredBesideIt() throws Exception {
        try (SoftwareTpm tpm = new SoftwareTpm(dir)) {
            tpm.addToken("tpm-device", PIN);
            Path data = dir.resolve("data");
            Result init = tpm.hallmark(data, "quickstart", "--no-serve", "--devices", "0", "--hostname", "pki.example.com");
            assertEquals(0, init.exit(), init::toString);
            Path pin = dir.resolve("pin");
            Files.writeString(pin, PIN + "\n");

            Result run = tpm.hallmark(data, "factory", "provision", "--pkcs11-library", SoftwareTpm.LIBRARY, "--pkcs11-pin-file", pin.toString(),
                    "--pkcs11-token", "tpm-device", "--serial-number", "SN-TPM-1", "--key-storage", "tpm", "--out", dir.resolve("out").toString());
            assertEquals(0, run.exit(), run::toString);

            String objects = tpm.objects("tpm-device", PIN);
            List<String> keys = TokenShell.blocks(objects, "Private Key Object; EC");
            assertEquals(1, keys.size(), objects);
            assertTrue(keys.getFirst().contains("label:      idevid") && keys.getFirst().contains("ID:         " + ID), objects);
            Matcher access = Pattern.compile("Access:\\s*(.*)").matcher(keys.getFirst());
            assertTrue(access.find() && access.group(1).contains("sensitive") && access.group(1).contains("never extractable"), objects);
            List<String> own = TokenShell.blocks(objects, "Certificate Object").stream().filter(c -> c.contains("ID:         " + ID + "\n")).toList();
            assertEquals(1, own.size(), objects);
            assertTrue(own.getFirst().contains("serialNumber=SN-TPM-1"), objects);

            Path der = dir.resolve("tpm.der");
            Result read = tpm.exec(List.of(Peers.tool("pkcs11-tool").toString(), "--module", SoftwareTpm.LIBRARY, "--token-label", "tpm-device",
                    "--read-object", "--type", "cert", "--id", ID, "-o", der.toString()));
            assertEquals(0, read.exit(), read::toString);
            Path pem = dir.resolve("tpm.pem");
            assertEquals(0, tpm.exec(List.of("openssl", "x509", "-inform", "DER", "-in", der.toString(), "-out", pem.toString())).exit());
            Result verify = tpm.exec(List.of(Peers.tool("openssl").toString(), "verify", "-x509_strict", "-CAfile", data.resolve("ca/root.pem").toString(),
                    "-untrusted", data.resolve("ca/idevid-ca.pem").toString(), pem.toString()));
            assertEquals(0, verify.exit(), verify::toString);

            String keytool = tpm.keytool(SoftwareTpm.LIBRARY, "tpm-device", PIN);
            assertTrue(keytool.contains("Alias name: idevid") && keytool.contains("Entry type: PrivateKeyEntry")
                    && keytool.contains("SERIALNUMBER=SN-TPM-1"), keytool);

            Result list = tpm.hallmark(data, "cert", "list", "--device", "SN-TPM-1", "--json");
            assertTrue(list.out().contains("\"keyStorage\" : \"tpm\""), list::toString);
        }
    }
}
