package io.hallmark.cli;

import io.hallmark.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

import static org.junit.jupiter.api.Assertions.*;

/** A database a newer Hallmark migrated: every command refuses it with one line and exit 9, and changes nothing. */
class NewerDatabaseCliTest {

    @TempDir
    Path dir;

    @Test
    void sqlite() {
        Path data = dir.resolve("data");
        assertEquals(0, Cli.run(data, "init").exit());
        refused(data, null, "jdbc:sqlite:" + data.resolve("hallmark.db"));
    }

    @Test
    void postgresql() {
        try (TestPostgres pg = TestPostgres.create()) {
            Path data = dir.resolve("data");
            assertEquals(0, Cli.run(data, "--db", pg.url(), "init").exit());
            refused(data, pg.url(), pg.url());
        }
    }

    private static void refused(Path data, String db, String url) {
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(true);
            c.createStatement().executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                    + "installed_by, execution_time, success) VALUES ((SELECT max(installed_rank) + 1 FROM flyway_schema_history), '9000', "
                    + "'from a newer hallmark', 'SQL', 'V9000__newer.sql', 0, 'test', 1, " + (url.startsWith("jdbc:sqlite") ? "1" : "true") + ")");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        InstallationSnapshot before = InstallationSnapshot.of(data, db);
        for (String[] command : new String[][]{{"ca", "list"}, {"init"}, {"audit", "verify"}}) {
            String[] args = db == null ? command : java.util.stream.Stream.concat(java.util.stream.Stream.of("--db", db), java.util.Arrays.stream(command)).toArray(String[]::new);
            Cli.Run r = Cli.run(data, args);
            assertEquals(ExitCodes.NEWER_INSTALLATION, r.exit(), r::toString);
            assertTrue(r.err().matches("hallmark: database schema version 9000 is newer than this hallmark \\(knows up to [0-9.]+\\): "
                    + "upgrade hallmark, or restore a backup\n"), r::toString);
        }
        assertEquals(before, InstallationSnapshot.of(data, db));
        assertTrue(Cli.run(data, "--help").out().contains("9 the database was written by a newer hallmark"));
    }
}
