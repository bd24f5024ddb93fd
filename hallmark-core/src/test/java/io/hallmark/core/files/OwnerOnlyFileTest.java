package io.hallmark.core.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OwnerOnlyFileTest {

    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void chmod(Path p, String mode) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    @Test
    void createsDirectoriesAndFilesOwnerOnlyWithoutANotice() throws Exception {
        Path dir = tmp.resolve("a/b");
        assertEquals(Optional.empty(), OwnerOnlyFile.directory(dir));
        assertEquals("rwx------", mode(dir));
        assertEquals("rwx------", mode(tmp.resolve("a")), "missing parents too");
        assertEquals(Optional.empty(), OwnerOnlyFile.file(dir.resolve("f")));
        assertEquals("rw-------", mode(dir.resolve("f")));
        assertEquals(Optional.empty(), OwnerOnlyFile.file(dir.resolve("f")), "already owner-only: nothing to say");
    }

    @Test
    void narrowsWhatOthersCouldReadAndSaysWhat() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        chmod(dir, "rwxr-xr-x");
        Path file = Files.writeString(dir.resolve("f"), "kept");
        chmod(file, "r--r--r--");
        assertEquals(Optional.of(dir + " was rwxr-xr-x, now rwx------: narrowed to its owner"), OwnerOnlyFile.directory(dir));
        assertEquals(Optional.of(file + " was r--r--r--, now r--------: narrowed to its owner"), OwnerOnlyFile.file(file));
        assertEquals("r--------", mode(file), "the owner's permissions stay as they were");
        assertEquals("kept", Files.readString(file));
        assertEquals(Optional.empty(), OwnerOnlyFile.narrow(dir.resolve("absent")));
    }

    @Test
    void leavesADirectoryEveryoneMayWriteToAlone() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        chmod(shared, "rwxrwxrwx");
        Optional<String> notice = OwnerOnlyFile.directory(shared);
        assertTrue(notice.orElseThrow().contains("writable by everyone"), notice::toString);
        assertEquals("rwxrwxrwx", mode(shared));
    }

    @Test
    void aSecretsNewDirectoryIsOwnerOnly() throws Exception {
        OwnerOnlyFile.create(tmp.resolve("new/vault.pass"), "x".getBytes());
        assertEquals("rwx------", mode(tmp.resolve("new")));
        assertEquals("rw-------", mode(tmp.resolve("new/vault.pass")));
    }
}
