package io.hallmark.cli;

import io.hallmark.cli.TokenShell.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code factory provision} into a TPM 2.0 (swtpm, through tpm2-pkcs11; {@link SoftwareTpm}): the device key is made
 * by the TPM, the IDevID comes back onto the token under the key's id and label, and the certificate records key
 * storage "tpm".
 */
class FactoryProvisionTpmTest {

    private static final String PIN = "3691";

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

            FactoryProvisionTest.assertDeviceKeyAndCertificate(tpm.objects("tpm-device", PIN), "SN-TPM-1", 3);
            tpm.assertVerifies(tpm.readObject(SoftwareTpm.LIBRARY, "tpm-device", "cert", FactoryProvisionTest.ID), data, "idevid-ca");

            String keytool = tpm.keytool(SoftwareTpm.LIBRARY, "tpm-device", PIN);
            assertTrue(keytool.contains("Alias name: idevid") && keytool.contains("Entry type: PrivateKeyEntry")
                    && keytool.contains("SERIALNUMBER=SN-TPM-1"), keytool);

            Result list = tpm.hallmark(data, "cert", "list", "--device", "SN-TPM-1", "--json");
            assertTrue(list.out().contains("\"keyStorage\" : \"tpm\""), list::toString);
        }
    }
}
