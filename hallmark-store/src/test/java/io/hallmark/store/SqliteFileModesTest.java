package io.hallmark.store;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The database holds the inventory, the audit log and token hashes: only its owner may read it, WAL included. */
class SqliteFileModesTest {

    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void write(Store s) {
        s.run(tx -> tx.audit().append("test", AuditEvent.of("test.append", "x"), Instant.now()));
    }

    @Test
    void aNewDatabaseAndItsWalAreOwnerOnly() throws Exception {
        Path data = dir.resolve("data");
        try (Store s = JdbcStore.open(data, null)) {
            write(s);
            assertEquals("rwx------", mode(data));
            assertEquals("rw-------", mode(data.resolve("hallmark.db")));
            Path wal = data.resolve("hallmark.db-wal");
            assertTrue(Files.exists(wal), "WAL mode: the WAL exists while the store is open");
            assertEquals("rw-------", mode(wal));
            assertEquals("rw-------", mode(data.resolve("hallmark.db-shm")));
        }
        // Closing the last connection removes the WAL; SQLite creates it again on the next write.
        try (Store s = JdbcStore.open(data, null)) {
            write(s);
            assertEquals("rw-------", mode(data.resolve("hallmark.db-wal")));
            assertEquals("rw-------", mode(data.resolve("hallmark.db-shm")));
        }
    }

    @Test
    void anExistingInstallationIsTightenedWhenOpened() throws Exception {
        // An installation an older Hallmark left under umask 022, as a crash leaves it: database, WAL and
        // shared-memory file, all readable by everyone (copied while the store is open, before any checkpoint).
        Path live = dir.resolve("live");
        Path old = Files.createDirectory(dir.resolve("old"));
        try (Store s = JdbcStore.open(live, null)) {
            write(s);
            for (String f : new String[]{"hallmark.db", "hallmark.db-wal", "hallmark.db-shm"}) {
                Files.copy(live.resolve(f), old.resolve(f));
                Files.setPosixFilePermissions(old.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        assertTrue(Files.size(old.resolve("hallmark.db-wal")) > 0, "the copied WAL holds the write");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));

        try (Store s = JdbcStore.open(old, null)) {
            assertEquals("rwx------", mode(old));
            assertEquals("rw-------", mode(old.resolve("hallmark.db")));
            assertEquals("rw-------", mode(old.resolve("hallmark.db-wal")));
            assertEquals("rw-------", mode(old.resolve("hallmark.db-shm")));
            assertEquals(1L, (long) s.read(tx -> {
                long[] n = {0};
                tx.audit().scan(e -> n[0]++);
                return n[0];
            }), "the write in the old WAL is still there");
        }
    }
}
