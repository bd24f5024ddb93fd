package io.hallmark.store.transfer;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.store.JdbcStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A consistent copy of a SQLite installation taken while it may be in use: {@code VACUUM INTO} reads the
 * database in one read transaction (WAL lets writers go on meanwhile) and writes what that transaction sees
 * into a new file, committed pages from the write-ahead log included. The copy is the source's own file format,
 * schema history and triggers included, so restoring it is putting the file back.
 */
public final class SqliteSnapshot {

    private SqliteSnapshot() {
    }

    /** Writes a snapshot of {@code from} (SQLite) to {@code file}, which must not exist yet. */
    public static void write(Database from, Path file) {
        if (!from.sqlite()) {
            throw new IllegalArgumentException("not a SQLite database: " + from.describe());
        }
        StoreCopy.requireInstallation(from);
        if (Files.exists(file)) {
            throw HallmarkException.conflict(file + " already exists");
        }
        JdbcStore.open(from.url()).close(); // schema up to date, as every command brings it at start
        try (Connection c = from.connect(); PreparedStatement st = c.prepareStatement("VACUUM INTO ?")) {
            st.setString(1, file.toAbsolutePath().toString());
            st.execute();
        } catch (SQLException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot snapshot " + from.describe() + ": " + StoreCopy.firstLine(e), e);
        }
    }
}
