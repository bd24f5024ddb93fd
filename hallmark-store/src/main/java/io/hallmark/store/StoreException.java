package io.hallmark.store;

import io.hallmark.core.error.HallmarkException;

import java.sql.SQLException;

/** Maps database failures onto Hallmark's error kinds: a duplicate key is a CONFLICT, the rest INTERNAL. */
final class StoreException {

    private StoreException() {
    }

    static HallmarkException of(SQLException e, Dialect dialect, String sql) {
        if (dialect.isUniqueViolation(e)) {
            return new HallmarkException(HallmarkException.Kind.CONFLICT, "already recorded: " + firstLine(e), e);
        }
        return new HallmarkException(HallmarkException.Kind.INTERNAL, "store error: " + firstLine(e), e);
    }

    private static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
