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

    @Test
    void statementFailuresStayWhatTheyWere() {
        assertEquals(HallmarkException.Kind.CONFLICT, StoreException.of(new SQLException("duplicate key", "23505"), Dialect.POSTGRESQL, "x").kind());
        assertEquals(HallmarkException.Kind.INTERNAL, StoreException.of(new SQLException("syntax error", "42601"), Dialect.POSTGRESQL, "x").kind());
        assertEquals(HallmarkException.Kind.INTERNAL, StoreException.of(new SQLException("[SQLITE_CONSTRAINT] CHECK", null, 19), Dialect.SQLITE, "x").kind());
    }
}
