package io.hallmark.cli;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.vault.Passphrase;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An auditor holds the database but not the vault passphrase: everything that only reads works; what signs
 * fails with the one-line reason, and records nothing.
 */
class ReadOnlyWithoutPassphraseTest {

    @TempDir
    static Path dir;
    static Path data;
    static String serial;

    /** One installation for all: nothing here may change it (the refused issuance checks that it did not). */
    @BeforeAll
    static void installationWhosePassphraseIsElsewhere() throws Exception {
        assertNull(System.getenv(Passphrase.ENV), "this test needs " + Passphrase.ENV + " unset");
        assertNull(System.getenv(Passphrase.FILE_ENV), "this test needs " + Passphrase.FILE_ENV + " unset");
        data = dir.resolve("data");
        assertEquals(0, Cli.run(data, "init").exit());
        Path csr = csr("SN-1");
        Cli.Run issued = Cli.run(data, "issue", "--ca", "idevid-ca", "--profile", "idevid", "--csr", csr.toString(),
                "--out", dir.resolve("SN-1.pem").toString(), "--json");
        assertEquals(0, issued.exit(), issued::toString);
        serial = issued.out().replaceAll("(?s).*\"serial\" : \"([0-9a-f]+)\".*", "$1");
        Files.move(Passphrase.defaultFile(data), dir.resolve("vault.pass.kept-elsewhere"));
    }

    private static Path csr(String serialNumber) throws Exception {
        KeyAlgorithm alg = KeyAlgorithm.EC_P256;
        byte[] der = Csrs.create(alg.generate(), alg, new X500Name("CN=sensor,serialNumber=" + serialNumber));
        Path file = dir.resolve(serialNumber + ".csr");
        Files.writeString(file, Pem.encode("CERTIFICATE REQUEST", der));
        return file;
    }

    private static Cli.Run ok(String... args) {
        Cli.Run r = Cli.run(data, args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + " without the passphrase\n" + r);
        return r;
    }

    @Test
    void certListAndShowWork() {
        assertTrue(ok("cert", "list").out().contains(serial));
        assertTrue(ok("cert", "show", serial).out().contains("SN-1"));
        assertTrue(ok("cert", "show", serial, "--pem").out().startsWith("-----BEGIN CERTIFICATE"));
    }

    @Test
    void auditVerifyAndListWork() {
        assertTrue(ok("audit", "verify").out().contains("intact"));
        assertTrue(ok("audit", "list").out().contains("cert.issue"));
    }

    @Test
    void caListShowAndExportWork() {
        assertTrue(ok("ca", "list").out().contains("idevid-ca"));
        assertTrue(ok("ca", "show", "root").out().contains("root"));
        assertTrue(ok("ca", "export", "idevid-ca", "--chain").out().startsWith("-----BEGIN CERTIFICATE"));
    }

    @Test
    void certVerifyChecksSignaturesWithPublicKeysOnly() {
        assertTrue(ok("cert", "verify").out().contains("all signed by their CA"));
    }

    @Test
    void issuingFailsWithTheReasonAndRecordsNothing() throws Exception {
        String before = ok("cert", "list", "--json").out();
        Cli.Run r = Cli.run(data, "issue", "--ca", "idevid-ca", "--profile", "idevid", "--csr", csr("SN-2").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().startsWith("hallmark: no vault passphrase: set " + Passphrase.ENV), r::toString);
        assertEquals(before, ok("cert", "list", "--json").out());
        assertFalse(Files.exists(Passphrase.defaultFile(data)), "a signing command must not create a new passphrase");
    }
}
