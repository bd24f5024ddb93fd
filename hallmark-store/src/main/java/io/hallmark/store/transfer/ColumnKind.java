package io.hallmark.store.transfer;

import io.hallmark.core.error.HallmarkException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;

/**
 * The three kinds of value Hallmark's schema holds (migrations: times and counters are BIGINT, serials and
 * JSON are text, DER is {@code ${bytes}}), read and written the same way on SQLite and PostgreSQL, so a
 * value crosses between them unchanged. A column of any other type is refused rather than guessed at.
 */
enum ColumnKind {
    LONG(Types.BIGINT) {
        @Override
        Object read(ResultSet rs, int i) throws SQLException {
            long v = rs.getLong(i);
            return rs.wasNull() ? null : v;
        }

        @Override
        void bind(PreparedStatement st, int i, Object value) throws SQLException {
            st.setLong(i, (Long) value);
        }

        @Override
        byte[] bytes(Object value) {
            return Long.toString((Long) value).getBytes(StandardCharsets.US_ASCII);
        }
    },
    TEXT(Types.VARCHAR) {
        @Override
        Object read(ResultSet rs, int i) throws SQLException {
            return rs.getString(i);
        }

        @Override
        void bind(PreparedStatement st, int i, Object value) throws SQLException {
            st.setString(i, (String) value);
        }

        @Override
        byte[] bytes(Object value) {
            return ((String) value).getBytes(StandardCharsets.UTF_8);
        }
    },
    BYTES(Types.BINARY) {
        @Override
        Object read(ResultSet rs, int i) throws SQLException {
            return rs.getBytes(i);
        }

        @Override
        void bind(PreparedStatement st, int i, Object value) throws SQLException {
            st.setBytes(i, (byte[]) value);
        }

        @Override
        byte[] bytes(Object value) {
            return (byte[]) value;
        }
    };

    private final int sqlType;

    ColumnKind(int sqlType) {
        this.sqlType = sqlType;
    }

    /** The value of column {@code i}, null for SQL NULL. */
    abstract Object read(ResultSet rs, int i) throws SQLException;

    abstract void bind(PreparedStatement st, int i, Object value) throws SQLException;

    abstract byte[] bytes(Object value);

    void write(PreparedStatement st, int i, Object value) throws SQLException {
        if (value == null) {
            st.setNull(i, sqlType);
        } else {
            bind(st, i, value);
        }
    }

    /** Feeds a value into a row digest: kind, null or length, bytes; no two different values feed alike. */
    void digest(MessageDigest md, Object value) {
        md.update((byte) ordinal());
        if (value == null) {
            md.update((byte) 'N');
            return;
        }
        byte[] b = bytes(value);
        md.update((byte) 'V');
        md.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        md.update((byte) ':');
        md.update(b);
    }

    /**
     * The kind of a column from its declared type: SQLite reports the declaration (BIGINT, VARCHAR(64), BLOB),
     * PostgreSQL its type name (int8, varchar, bpchar, text, bytea).
     */
    static ColumnKind of(String table, String column, String typeName) {
        String t = typeName == null ? "" : typeName.toUpperCase(Locale.ROOT);
        if (t.contains("INT")) return LONG;
        if (t.contains("CHAR") || t.equals("TEXT") || t.startsWith("TEXT")) return TEXT;
        if (t.equals("BLOB") || t.equals("BYTEA")) return BYTES;
        throw HallmarkException.badInput("column " + table + "." + column + " has type " + typeName + ", which this version cannot copy");
    }
}
