package io.hallmark.store.transfer;

import io.hallmark.core.Hallmark;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.audit.AuditVerification;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.store.JdbcStore;
import io.hallmark.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The copier on its own: chunked streaming with progress, the checks that keep a bad copy out, and what it refuses. */
class StoreCopyTest {

    @TempDir
    Path dir;

    @Test
    void aLargeTableIsCopiedInChunksAndVerifiedOnPostgres() throws Exception {
        Path source = installation(dir.resolve("source"));
        int appended = StoreCopy.CHUNK * 2 + 500;
        try (JdbcStore store = JdbcStore.open(source, null)) {
            store.run(tx -> {
                for (int i = 0; i < appended; i++) {
                    tx.audit().append("test", AuditEvent.of("test.event", "n" + i, "i", Integer.toString(i)), Instant.now());
                }
            });
        }
        List<long[]> auditProgress = new ArrayList<>();
        try (TestPostgres pg = TestPostgres.create()) {
            CopyReport r = StoreCopy.copy(Database.of(source.toString()), Database.of(pg.url()), (table, done, total) -> {
                if (table.equals("audit_log")) auditProgress.add(new long[]{done, total});
            });
            assertTrue(r.verified(), r.problems().toString());
            long entries = r.rows("audit_log");
            assertTrue(entries > appended, "the installation's own entries and the appended ones: " + entries);
            assertEquals(List.of(1000L, 2000L, entries), auditProgress.stream().map(p -> p[0]).toList(), "one report per chunk, then the end");
            assertTrue(auditProgress.stream().allMatch(p -> p[1] == entries));
            assertEquals(entries, r.audit().entries());
            try (JdbcStore copy = JdbcStore.open(pg.url())) {
                AuditVerification v = copy.read(tx -> tx.audit().verify());
                assertTrue(v.intact(), v.toString());
                assertEquals(r.audit().headHash(), v.headHash());
            }
        }
    }

    @Test
    void aBrokenAuditChainIsNotCarriedIntoANewDatabase() throws Exception {
        Path source = installation(dir.resolve("source"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source.resolve("hallmark.db"))) {
            c.createStatement().execute("DROP TRIGGER audit_log_append_only_u");
            c.createStatement().execute("UPDATE audit_log SET details = '{}' WHERE seq = 2");
        }
        Path target = dir.resolve("target");
        CopyReport r = StoreCopy.copy(Database.of(source.toString()), Database.of(target.toString()), (t, d, n) -> { });
        assertFalse(r.verified());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("audit chain") && p.contains("entry 2")), r.problems().toString());
        assertTrue(r.tables().stream().allMatch(CopyReport.TableReport::contentEqual), "the copy itself was faithful");
        assertFalse(Files.exists(target.resolve("hallmark.db")), "no database is left where the copy failed its checks");
        try (var left = Files.list(target)) {
            assertEquals(List.of(), left.toList(), "nor any of its working files");
        }
    }

    @Test
    void refusesATargetThatHoldsAnythingAndCopiesOntoItself() throws Exception {
        Path source = installation(dir.resolve("source"));
        Path other = installation(dir.resolve("other"));
        byte[] before = Files.readAllBytes(other.resolve("hallmark.db"));
        HallmarkException taken = assertThrows(HallmarkException.class,
                () -> StoreCopy.copy(Database.of(source.toString()), Database.of(other.toString()), (t, d, n) -> { }));
        assertEquals(HallmarkException.Kind.CONFLICT, taken.kind());
        assertTrue(Files.exists(other.resolve("hallmark.db")) && java.util.Arrays.equals(before, Files.readAllBytes(other.resolve("hallmark.db"))));

        HallmarkException same = assertThrows(HallmarkException.class,
                () -> StoreCopy.copy(Database.of(source.toString()), Database.of("jdbc:sqlite:" + source.resolve("hallmark.db")), (t, d, n) -> { }));
        assertEquals(HallmarkException.Kind.BAD_INPUT, same.kind());

        HallmarkException missing = assertThrows(HallmarkException.class,
                () -> StoreCopy.copy(Database.of(dir.resolve("nothing").toString()), Database.of(dir.resolve("t").toString()), (t, d, n) -> { }));
        assertEquals(HallmarkException.Kind.NOT_FOUND, missing.kind());
        assertFalse(Files.exists(dir.resolve("nothing")), "looking for a source creates nothing");
    }

    @Test
    void refusesAPostgresDatabaseThatHoldsAnInstallation() throws Exception {
        Path source = installation(dir.resolve("source"));
        try (TestPostgres pg = TestPostgres.create()) {
            assertTrue(StoreCopy.copy(Database.of(source.toString()), Database.of(pg.url()), (t, d, n) -> { }).verified());
            HallmarkException again = assertThrows(HallmarkException.class,
                    () -> StoreCopy.copy(Database.of(source.toString()), Database.of(pg.url()), (t, d, n) -> { }));
            assertEquals(HallmarkException.Kind.CONFLICT, again.kind());
            assertTrue(again.getMessage().contains("not empty"), again.getMessage());
        }
    }

    /** A data directory with the default hierarchy: four CAs, their certificates and audit entries. */
    private static Path installation(Path dir) {
        KeyVaults vaults = new KeyVaults(new SoftwareKeyVault(dir.resolve("keys"), new Passphrase("copy-test-passphrase".toCharArray(), "test", false)));
        try (Hallmark h = new Hallmark(JdbcStore.open(dir, null), vaults, Clock.systemUTC())) {
            h.init(HierarchySpec.defaults(), "test");
        }
        return dir;
    }
}
