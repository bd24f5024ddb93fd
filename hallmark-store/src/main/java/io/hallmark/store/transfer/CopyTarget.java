package io.hallmark.store.transfer;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.files.OwnerOnlyFile;
import io.hallmark.store.JdbcStore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a copy is written, and how it becomes all or nothing. PostgreSQL: one transaction, committed only once
 * the copy verified. SQLite: a new file beside the final name, written in chunk-sized transactions (so its
 * write-ahead log stays small however large the copy), given its final name only once verified; until then no
 * installation is there, and a failed copy leaves nothing behind.
 */
abstract sealed class CopyTarget {

    final Database db;

    private CopyTarget(Database db) {
        this.db = db;
    }

    /**
     * Refuses a target that holds anything (before any migration touches it), then creates this version's schema
     * in it: a new SQLite file beside the final name, or the tables in the PostgreSQL schema.
     */
    static CopyTarget prepare(Database db) {
        return db.sqlite() ? new Sqlite(db) : new Postgres(db);
    }

    abstract Connection connect() throws SQLException;

    /** Starts writing. */
    abstract void begin(Connection c) throws SQLException;

    /** A chunk was written: SQLite commits it, PostgreSQL keeps going in the one transaction. */
    abstract void chunk(Connection c) throws SQLException;

    /** Every row is written; the checks come next, reading the target on the same connection. */
    void endWrites(Connection c) throws SQLException {
    }

    /** The copy verified: make it the target's content. */
    abstract void commit(Connection c) throws SQLException;

    /** After the connection closed: the copy is in place (SQLite: the file gets its final name). */
    void publish() {
    }

    /** Leaves nothing: rolls back, or removes the new file. Safe to call after anything failed. */
    abstract void abandon(Connection c);

    static final class Postgres extends CopyTarget {
        Postgres(Database db) {
            super(db);
            StoreCopy.requireEmptyTarget(db); // before migrating someone's installation to a newer schema
            JdbcStore.open(db.url()).close();
        }

        @Override
        Connection connect() throws SQLException {
            Connection c = db.connect();
            c.setAutoCommit(false);
            return c;
        }

        @Override
        void begin(Connection c) {
        }

        @Override
        void chunk(Connection c) {
        }

        @Override
        void commit(Connection c) throws SQLException {
            c.commit();
        }

        @Override
        void abandon(Connection c) {
            try (c) {
                if (c != null && !c.isClosed()) c.rollback();
            } catch (SQLException e) {
                // closing the connection rolls back as well
            }
        }
    }

    static final class Sqlite extends CopyTarget {
        private final Path staging;

        Sqlite(Database db) {
            super(db);
            Path file = db.sqliteFile();
            StoreCopy.requireEmptyTarget(db);
            this.staging = file.resolveSibling(file.getFileName() + ".partial");
            OwnerOnlyFile.directory(file.getParent()).ifPresent(System.err::println);
            deleteStaging(); // what a copy killed half-way left
            OwnerOnlyFile.file(staging); // 0600 before SQLite opens it: its -wal and -shm get the same mode
            JdbcStore.open("jdbc:sqlite:" + staging).close();
        }

        @Override
        Connection connect() throws SQLException {
            Connection c = new Database("jdbc:sqlite:" + staging, staging).connect();
            try (var st = c.createStatement()) {
                // A new file no one else opens until it is renamed: a crash only means starting again.
                st.execute("PRAGMA synchronous = NORMAL");
            }
            return c;
        }

        @Override
        void begin(Connection c) throws SQLException {
            exec(c, "BEGIN IMMEDIATE");
        }

        @Override
        void chunk(Connection c) throws SQLException {
            exec(c, "COMMIT");
            exec(c, "BEGIN IMMEDIATE");
        }

        @Override
        void endWrites(Connection c) throws SQLException {
            exec(c, "COMMIT"); // the checks read what is in the file, on this same connection
        }

        @Override
        void commit(Connection c) throws SQLException {
            // One self-contained file to rename: the log folded in and removed (the store turns WAL on again at open).
            exec(c, "PRAGMA journal_mode = DELETE");
        }

        @Override
        void publish() {
            Path file = db.sqliteFile();
            try {
                try (FileChannel ch = FileChannel.open(staging, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(staging, file); // fails rather than replace a file that appeared meanwhile
                try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                    dir.force(true); // the rename itself survives a power loss
                } catch (IOException e) {
                    // not every file system syncs a directory; the rename is done
                }
            } catch (IOException e) {
                deleteStaging();
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot move the copy into place as " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        void abandon(Connection c) {
            try {
                if (c != null && !c.isClosed()) c.close();
            } catch (SQLException e) {
                // the file goes anyway
            }
            deleteStaging();
        }

        private void deleteStaging() {
            for (String suffix : new String[]{"", "-wal", "-shm", "-journal"}) {
                try {
                    Files.deleteIfExists(staging.resolveSibling(staging.getFileName() + suffix));
                } catch (IOException e) {
                    System.err.println("hallmark: cannot remove " + staging + suffix + ": " + e.getMessage());
                }
            }
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
