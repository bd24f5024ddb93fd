package io.hallmark.store;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A downgrade: a database a newer Hallmark migrated (a row in Flyway's history above every migration this build
 * ships) is refused at open with the reason, and nothing is migrated; on SQLite and PostgreSQL.
 */
class NewerSchemaRefusedTest {

    @TempDir
    Path dir;

    @Test
    void sqlite() throws Exception {
        JdbcStore.open(dir, null).close();
        refusedAfterAFutureMigration("jdbc:sqlite:" + dir.resolve(JdbcStore.SQLITE_FILE), () -> JdbcStore.open(dir, null));
    }

    @Test
    void postgresql() throws Exception {
        try (TestPostgres db = TestPostgres.create()) {
            JdbcStore.open(db.url()).close();
            refusedAfterAFutureMigration(db.url(), () -> JdbcStore.open(db.url()));
        }
    }

    private static void refusedAfterAFutureMigration(String url, java.util.function.Supplier<JdbcStore> open) throws Exception {
        String known;
        List<String> history;
        try (Connection c = DriverManager.getConnection(url)) {
            known = highestVersion(c);
            c.setAutoCommit(true);
            try (var st = c.prepareStatement("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                    + "installed_by, execution_time, success) VALUES ((SELECT max(installed_rank) + 1 FROM flyway_schema_history), '9999', "
                    + "'from a newer hallmark', 'SQL', 'V9999__from_a_newer_hallmark.sql', 0, 'test', 1, ?)")) {
                st.setBoolean(1, true);
                st.executeUpdate();
            }
            history = history(c);
        }
        HallmarkException e = assertThrows(HallmarkException.class, open::get);
        assertEquals(HallmarkException.Kind.INCOMPATIBLE, e.kind());
        assertEquals("database schema version 9999 is newer than this hallmark (knows up to " + known + "): upgrade hallmark, or restore a backup",
                e.getMessage());
        try (Connection c = DriverManager.getConnection(url)) {
            assertEquals(history, history(c), "nothing was migrated");
        }
        assertTrue(JdbcStore.holdsSchema(Path.of("unused"), url), "the probe still sees the schema, and changes nothing either");
    }

    /** The highest version a fresh migration applied: the highest this build ships. */
    private static String highestVersion(Connection c) throws Exception {
        String best = null;
        for (String v : versions(c)) {
            if (best == null || org.flywaydb.core.api.MigrationVersion.fromVersion(v).compareTo(org.flywaydb.core.api.MigrationVersion.fromVersion(best)) > 0) best = v;
        }
        return best;
    }

    private static List<String> versions(Connection c) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static List<String> history(Connection c) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT installed_rank, version, script, success FROM flyway_schema_history ORDER BY installed_rank")) {
            while (rs.next()) out.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getBoolean(4));
        }
        return out;
    }
}
