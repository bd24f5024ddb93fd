package io.hallmark.store;

import io.hallmark.core.error.HallmarkException;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;

/**
 * Maps database failures onto Hallmark's error kinds: a duplicate key is a CONFLICT; a database that cannot be
 * reached, is shutting down, has no room left or cannot be written is UNAVAILABLE (the same request may succeed once it is back, and
 * the front ends answer 503 with Retry-After); the rest INTERNAL.
 */
final class StoreException {

    /** What an UNAVAILABLE failure says to the caller: the driver's text (hosts, ports, SQL) goes to the log only. */
    static final String UNREACHABLE = "the database is not reachable; try again shortly";
    static final String FULL = "the database has no space left; nothing was recorded, try again once space is freed";
    static final String UNWRITABLE = "the database file could not be written (no space, a file-size limit, or a disk error); "
            + "nothing was recorded, try again once that is fixed";

    private StoreException() {
    }

    static HallmarkException of(SQLException e, Dialect dialect, String sql) {
        if (dialect.isUniqueViolation(e)) {
            return new HallmarkException(HallmarkException.Kind.CONFLICT, "already recorded: " + firstLine(e), e);
        }
        if (isFull(e)) {
            LoggerFactory.getLogger(StoreException.class).warn("database full: {}", firstLine(e));
            return HallmarkException.unavailable(FULL, e);
        }
        if (isWriteRefused(e)) {
            LoggerFactory.getLogger(StoreException.class).warn("database file not writable: {}", firstLine(e));
            return HallmarkException.unavailable(UNWRITABLE, e);
        }
        if (isConnectionLost(e)) {
            LoggerFactory.getLogger(StoreException.class).warn("database unavailable: {}", firstLine(e));
            return HallmarkException.unavailable(UNREACHABLE, e);
        }
        return new HallmarkException(HallmarkException.Kind.INTERNAL, "store error: " + firstLine(e), e);
    }

    /**
     * A failure of the connection rather than of the statement: SQLSTATE class 08 (connection exception: refused,
     * broken, lost mid-transaction), 57P01/57P02/57P03 (PostgreSQL shutting down, crashed, or starting and not yet
     * accepting), 53300 (too many connections), 25006 (a read-only server: a standby answered, as during a failover),
     * or what HikariCP and the JDBC API call transient or recoverable (the pool's wait for a connection timed out).
     */
    static boolean isConnectionLost(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof java.sql.SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                        || state.equals("53300") || state.equals("25006")) {
                    return true;
                }
            }
            if (t instanceof java.net.SocketException || t instanceof java.io.EOFException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** SQLite's SQLITE_FULL (13): the disk is full, or the database reached its max_page_count. */
    static boolean isFull(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException() == s ? null : s.getNextException()) {
            if ((s.getErrorCode() & 0xff) == 13 || s.getMessage() != null && s.getMessage().contains("SQLITE_FULL")) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLite's I/O errors on the way out: SQLITE_IOERR_WRITE (778), _FSYNC (1034) or _TRUNCATE (1546). A disk that is
     * full can also show as these instead of SQLITE_FULL, and a process file-size limit (RLIMIT_FSIZE: the JVM ignores
     * SIGXFSZ, so write() fails with EFBIG) shows only as these. SQLite rolls the transaction back, so nothing of it was
     * recorded and the same request may succeed later, as with SQLITE_FULL.
     */
    static boolean isWriteRefused(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException() == s ? null : s.getNextException()) {
            int code = s.getErrorCode();
            String m = String.valueOf(s.getMessage());
            if (code == 778 || code == 1034 || code == 1546
                    || m.contains("SQLITE_IOERR_WRITE") || m.contains("SQLITE_IOERR_FSYNC") || m.contains("SQLITE_IOERR_TRUNCATE")) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
