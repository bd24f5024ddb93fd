package io.hallmark.store.transfer;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A digest of a table's content that does not depend on the order rows are read in: the sum, modulo 2^256, of
 * each row's SHA-256 over its columns sorted by name. Text sorts differently on SQLite (bytes) and PostgreSQL
 * (the database's collation), so an ordered digest would differ for equal tables; this one needs no order and
 * holds one number, however large the table.
 */
final class TableDigest {

    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

    private final List<Table.Column> byName;
    private final int[] position;
    private final MessageDigest sha256;
    private BigInteger sum = BigInteger.ZERO;
    private long rows;

    TableDigest(Table table) {
        this.byName = table.columns().stream().sorted(java.util.Comparator.comparing(Table.Column::name)).toList();
        this.position = byName.stream().mapToInt(c -> table.columns().indexOf(c)).toArray();
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param values one row, in the table's column order */
    void add(Object[] values) {
        for (int i = 0; i < byName.size(); i++) {
            Table.Column c = byName.get(i);
            sha256.update(c.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            c.kind().digest(sha256, values[position[i]]);
        }
        sum = sum.add(new BigInteger(1, sha256.digest())).mod(MODULUS);
        rows++;
    }

    long rows() {
        return rows;
    }

    String hex() {
        byte[] b = sum.toByteArray();
        byte[] fixed = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, fixed, 32 - n, n);
        return HexFormat.of().formatHex(fixed);
    }
}
