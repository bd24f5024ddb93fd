package io.hallmark.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Rows in PostgreSQL's binary COPY format ({@code COPY ... FROM STDIN (FORMAT binary)}), typed as {@link Sql}
 * binds them: a String is text (varchar, char), an Instant is epoch milliseconds (bigint), a Long bigint, an
 * Integer integer, a byte[] bytea, null NULL. Binary, not text: a certificate's DER then travels as its own
 * bytes, not as hex the server would decode, and no value needs escaping.
 *
 * <p>Each value's Java type must match its column's type exactly (an Integer into a bigint column is refused by
 * the server as "incorrect binary data format"), which the columns of the tables written this way do.
 */
final class PgBinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private PgBinaryCopy() {
    }

    /** The whole COPY payload for {@code rows}: header, one tuple per row, trailer. */
    static byte[] encode(List<Object[]> rows) {
        Out out = new Out(64 + rows.size() * 1024);
        out.write(SIGNATURE, 0, SIGNATURE.length);
        out.int32(0); // flags: no OIDs
        out.int32(0); // no header extension
        for (Object[] row : rows) {
            out.int16(row.length);
            for (Object value : row) {
                field(out, value);
            }
        }
        out.int16(-1);
        return out.toByteArray();
    }

    private static void field(Out out, Object value) {
        switch (value) {
            case null -> out.int32(-1);
            case String s -> out.bytes(s.getBytes(StandardCharsets.UTF_8));
            case byte[] b -> out.bytes(b);
            case Instant t -> {
                out.int32(8);
                out.int64(t.toEpochMilli());
            }
            case Long l -> {
                out.int32(8);
                out.int64(l);
            }
            case Integer i -> {
                out.int32(4);
                out.int32(i);
            }
            default -> throw new IllegalArgumentException("no binary COPY encoding for " + value.getClass().getName());
        }
    }

    /** A growing buffer with the big-endian writes the format needs (ByteArrayOutputStream locks on every byte). */
    private static final class Out {
        private byte[] buf;
        private int size;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        private void room(int n) {
            if (size + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }

        void write(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        void int16(int v) {
            room(2);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
        }

        void int32(int v) {
            room(4);
            buf[size++] = (byte) (v >>> 24);
            buf[size++] = (byte) (v >>> 16);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
        }

        void int64(long v) {
            int32((int) (v >>> 32));
            int32((int) v);
        }

        void bytes(byte[] b) {
            int32(b.length);
            write(b, 0, b.length);
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buf, size);
        }
    }
}
