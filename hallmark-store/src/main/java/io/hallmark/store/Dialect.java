package io.hallmark.store;

import java.sql.SQLException;

/** The little that differs between the two databases Hallmark runs on. */
enum Dialect {
    SQLITE("sqlite", "BLOB", "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"),
    // clock_timestamp(), not now(): now() is when the transaction began.
    POSTGRESQL("postgresql", "BYTEA", "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)");

    final String flywayVendor;
    final String bytesType;
    /** The database server's clock in milliseconds since the epoch, as an SQL expression (leases expire by it). */
    final String nowMillis;

    Dialect(String flywayVendor, String bytesType, String nowMillis) {
        this.flywayVendor = flywayVendor;
        this.bytesType = bytesType;
        this.nowMillis = nowMillis;
    }

    static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) return SQLITE;
        if (jdbcUrl.startsWith("jdbc:postgresql:")) return POSTGRESQL;
        throw new IllegalArgumentException("unsupported database URL '" + jdbcUrl + "' (jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB)");
    }

    boolean isUniqueViolation(SQLException e) {
        // A failed JDBC batch reports the statement's own exception as the next one.
        if (e.getNextException() != null && e.getNextException() != e && isUniqueViolation(e.getNextException())) {
            return true;
        }
        return switch (this) {
            case SQLITE -> e.getErrorCode() == 19 && e.getMessage() != null && e.getMessage().contains("UNIQUE")
                    || e.getMessage() != null && e.getMessage().contains("PRIMARYKEY");
            case POSTGRESQL -> "23505".equals(e.getSQLState());
        };
    }
}
