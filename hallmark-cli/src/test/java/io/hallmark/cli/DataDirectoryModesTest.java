package io.hallmark.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data directory holds the inventory, the audit log, token hashes and the vault: its owner's only. */
class DataDirectoryModesTest {

    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void initCreatesEverythingOwnerOnly() throws Exception {
        Path data = dir.resolve("data");
        Cli.Run r = Cli.run(data, "init");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("rwx------", mode(data));
        assertEquals("rw-------", mode(data.resolve("hallmark.db")));
        assertEquals("rw-------", mode(data.resolve("vault.pass")));
        assertEquals("rwx------", mode(data.resolve("keys")));
    }

    @Test
    void anOlderInstallationIsTightenedOnOpenWithANotice() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, Cli.run(data, "init").exit());
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("hallmark.db"), PosixFilePermissions.fromString("rw-r--r--"));

        Cli.Run r = Cli.run(data, "ca", "list");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("rwx------", mode(data));
        assertEquals("rw-------", mode(data.resolve("hallmark.db")));
        assertTrue(r.err().contains(data.resolve("hallmark.db") + " was rw-r--r--, now rw-------"), r::toString);
        assertTrue(r.err().contains(data + " was rwxr-xr-x, now rwx------"), r::toString);

        Cli.Run again = Cli.run(data, "ca", "list");
        assertEquals("", again.err(), "nothing left to tighten, nothing to say");
    }
}
