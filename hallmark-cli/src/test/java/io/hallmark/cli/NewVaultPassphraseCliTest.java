package io.hallmark.cli;

import io.hallmark.core.vault.Passphrase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `init` on a passphrase an operator chose: a weak one is refused before any CA key exists. */
class NewVaultPassphraseCliTest {

    @TempDir
    Path dir;

    @Test
    void initRefusesAOneCharacterPassphraseWithOneLineAndCreatesNoCa() throws Exception {
        assertNull(System.getenv(Passphrase.ENV), "this test needs " + Passphrase.ENV + " unset");
        Path data = Files.createDirectory(dir.resolve("data"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path pass = Passphrase.defaultFile(data);
        Files.writeString(pass, "x\n");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));

        Cli.Run r = Cli.run(data, "init");
        assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().startsWith("hallmark: the vault passphrase from " + pass + " is too weak for a new vault"), r::toString);
        assertFalse(Files.exists(data.resolve("keys")) && Files.list(data.resolve("keys")).findAny().isPresent(), "no key written");
        Cli.Run cas = Cli.run(data, "ca", "list", "--json");
        assertEquals(0, cas.exit(), cas::toString);
        assertEquals("[ ]", cas.out().strip(), "no CA created");

        Files.writeString(pass, "a passphrase of some length\n");
        Cli.Run again = Cli.run(data, "init");
        assertEquals(0, again.exit(), again::toString);
    }
}
