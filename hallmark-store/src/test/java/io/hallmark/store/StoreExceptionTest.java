package io.hallmark.store;

import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which database failures are the database being away (UNAVAILABLE: 503 with Retry-After) and which are not. */
class StoreExceptionTest {

    @Test
    void connectionFailuresShutdownsAndThePoolsTimeoutAreUnavailableWithoutTheDriversText() {
        for (String state : new String[]{"08001", "08006", "08003", "57P01", "57P02", "57P03", "53300", "25006"}) {
            HallmarkException e = StoreException.of(new SQLException("FATAL: terminating connection at host db1:5432", state), Dialect.POSTGRESQL, "SELECT 1");
            assertEquals(HallmarkException.Kind.UNAVAILABLE, e.kind(), state);
            assertEquals(StoreException.UNREACHABLE, e.getMessage(), state);
        }
        // HikariCP's "Connection is not available, request timed out after 3000ms" carries no SQLSTATE of its own.
        assertEquals(HallmarkException.Kind.UNAVAILABLE, StoreException.of(new SQLTransientConnectionException(
                "hallmark - Connection is not available, request timed out after 3000ms."), Dialect.POSTGRESQL, "x").kind());
        assertEquals(HallmarkException.Kind.UNAVAILABLE, StoreException.of(new SQLException("I/O error", null,
                new java.net.SocketException("Connection reset")), Dialect.POSTGRESQL, "x").kind());
    }

    @Test
    void aFullSqliteDatabaseIsUnavailableAndSaysSo() {
        HallmarkException e = StoreException.of(new SQLException("[SQLITE_FULL] Insertion failed because database is full", null, 13), Dialect.SQLITE, "x");
        assertEquals(HallmarkException.Kind.UNAVAILABLE, e.kind());
        assertEquals(StoreException.FULL, e.getMessage());
    }

    /** A file-size limit (EFBIG) or a disk failing a write shows as SQLITE_IOERR_WRITE, _FSYNC or _TRUNCATE, not SQLITE_FULL. */
    @Test
    void aSqliteWriteTheDiskRefusedIsUnavailableAndSaysSo() {
        for (int code : new int[]{778, 1034, 1546}) {
            HallmarkException e = StoreException.of(new SQLException("[SQLITE_IOERR] disk I/O error", null, code), Dialect.SQLITE, "x");
            assertEquals(HallmarkException.Kind.UNAVAILABLE, e.kind(), Integer.toString(code));
            assertEquals(StoreException.UNWRITABLE, e.getMessage());
        }
        assertEquals(HallmarkException.Kind.UNAVAILABLE, StoreException.of(new SQLException(
                "[SQLITE_IOERR_WRITE] I/O error in the VFS layer while trying to write to a file on disk (disk I/O error)"), Dialect.SQLITE, "x").kind());
        // A failed read is not a write the disk refused: it stays an internal error.
        assertEquals(HallmarkException.Kind.INTERNAL, StoreException.of(new SQLException("[SQLITE_IOERR_READ] disk I/O error", null, 266), Dialect.SQLITE, "x").kind());
    }

    @Test
    void statementFailuresStayWhatTheyWere() {
        assertEquals(HallmarkException.Kind.CONFLICT, StoreException.of(new SQLException("duplicate key", "23505"), Dialect.POSTGRESQL, "x").kind());
        assertEquals(HallmarkException.Kind.INTERNAL, StoreException.of(new SQLException("syntax error", "42601"), Dialect.POSTGRESQL, "x").kind());
        assertEquals(HallmarkException.Kind.INTERNAL, StoreException.of(new SQLException("[SQLITE_CONSTRAINT] CHECK", null, 19), Dialect.SQLITE, "x").kind());
    }
}
