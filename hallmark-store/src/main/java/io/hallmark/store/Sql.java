package io.hallmark.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Prepared statements without the ceremony. SQLExceptions become {@link StoreException}. */
final class Sql {

    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final Connection connection;
    private final Dialect dialect;
    private long configMovedTo = -1;

    Sql(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    /** Well below SQLite's 32766 host parameters and PostgreSQL's 65535. */
    static final int IN_LIST = 1000;

    /** Splits {@code items} into lists of at most {@link #IN_LIST}, one per {@code IN (...)} query. */
    static <T> List<List<T>> parts(java.util.Collection<T> items) {
        List<T> all = new ArrayList<>(items);
        List<List<T>> parts = new ArrayList<>();
        for (int from = 0; from < all.size(); from += IN_LIST) {
            parts.add(all.subList(from, Math.min(all.size(), from + IN_LIST)));
        }
        return parts;
    }

    /** {@code ?,?,...,?}: {@code n} placeholders. */
    static String placeholders(int n) {
        return "?" + ",?".repeat(n - 1);
    }

    Dialect dialect() {
        return dialect;
    }

    /** Notes that this transaction moved the configuration sequence to {@code sequence}, for after its commit. */
    void configMoved(long sequence) {
        configMovedTo = Math.max(configMovedTo, sequence);
    }

    /** The configuration sequence this transaction moved it to, or -1 if it did not move it. */
    long configMovedTo() {
        return configMovedTo;
    }

    int update(String sql, Object... args) {
        try (PreparedStatement ps = prepare(sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.of(e, dialect, sql);
        }
    }

    /** Runs one statement for many rows as a JDBC batch (PostgreSQL rewrites it to multi-row INSERTs). */
    void batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw StoreException.of(e, dialect, sql);
        } catch (AssertionError e) {
            // PostgreSQL's driver asserts (BatchResultHandler.isAutoCommit) where it would otherwise throw, when the
            // connection broke under a batch and assertions are on (-ea, as in tests): the same lost connection.
            if (dialect == Dialect.POSTGRESQL && !valid()) {
                throw StoreException.of(new java.sql.SQLNonTransientConnectionException("connection lost during a batch", "08006", e), dialect, sql);
            }
            throw e;
        }
    }

    /**
     * Writes {@code rows} into {@code table}'s {@code columns} with PostgreSQL's binary COPY, in this transaction:
     * one message stream for the whole list instead of multi-row INSERTs whose thousands of parameters the server
     * parses, binds and plans. Constraints, indexes and triggers apply as to an INSERT, and a duplicate key fails
     * it, and the transaction with it, alike. Values are typed as {@link PgBinaryCopy} says. PostgreSQL only.
     */
    void copy(String table, String columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        String sql = "COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)";
        byte[] data = PgBinaryCopy.encode(rows);
        try {
            org.postgresql.copy.CopyIn in = connection.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(sql);
            try {
                in.writeToCopy(data, 0, data.length);
                in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        } catch (SQLException e) {
            throw StoreException.of(e, dialect, sql);
        }
    }

    /** A {@code varchar[]} parameter holding {@code values} (PostgreSQL: {@code = ANY (?)}). */
    java.sql.Array textArray(java.util.Collection<String> values) {
        try {
            return connection.createArrayOf("varchar", values.toArray());
        } catch (SQLException e) {
            throw StoreException.of(e, dialect, "varchar[]");
        }
    }

    private boolean valid() {
        try {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    <T> List<T> list(String sql, Row<T> row, Object... args) {
        List<T> out = new ArrayList<>();
        each(sql, row, out::add, args);
        return out;
    }

    <T> void each(String sql, Row<T> row, Consumer<T> consumer, Object... args) {
        each(500, sql, row, consumer, args);
    }

    /** {@link #each} with PostgreSQL fetching {@code fetchSize} rows per round trip: more for long streamed reads. */
    <T> void each(int fetchSize, String sql, Row<T> row, Consumer<T> consumer, Object... args) {
        try (PreparedStatement ps = prepare(sql, args)) {
            ps.setFetchSize(fetchSize); // PostgreSQL streams with a cursor instead of loading everything
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    consumer.accept(row.map(rs));
                }
            }
        } catch (SQLException e) {
            throw StoreException.of(e, dialect, sql);
        }
    }

    <T> Optional<T> one(String sql, Row<T> row, Object... args) {
        List<T> rows = list(sql, row, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        bind(ps, args);
        return ps;
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            switch (a) {
                case null -> ps.setNull(i + 1, Types.NULL);
                case byte[] bytes -> ps.setBytes(i + 1, bytes);
                case java.time.Instant t -> ps.setLong(i + 1, t.toEpochMilli());
                default -> ps.setObject(i + 1, a);
            }
        }
    }

    static java.time.Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : java.time.Instant.ofEpochMilli(v);
    }

    static Integer integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
