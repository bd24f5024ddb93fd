package io.hallmark.store;

import io.hallmark.core.store.CrlBase;
import io.hallmark.core.store.CrlRepository;

import java.util.Optional;

final class JdbcCrlRepository implements CrlRepository {

    private final Sql sql;

    JdbcCrlRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public long nextNumber(String caName) {
        // Insert-if-absent, then increment: the UPDATE takes the row lock (PostgreSQL) or the write lock
        // (SQLite) until commit, so concurrent nodes get distinct, increasing numbers.
        sql.update("INSERT INTO crl_numbers (ca_name, last_number) VALUES (?, 0) ON CONFLICT (ca_name) DO NOTHING", caName);
        sql.update("UPDATE crl_numbers SET last_number = last_number + 1 WHERE ca_name = ?", caName);
        return sql.one("SELECT last_number FROM crl_numbers WHERE ca_name = ?", rs -> rs.getLong(1), caName).orElseThrow();
    }

    @Override
    public Optional<CrlBase> base(String caName, int partition) {
        return sql.one("SELECT * FROM crl_bases WHERE ca_name = ? AND crl_partition = ?",
                rs -> new CrlBase(rs.getString("ca_name"), rs.getInt("crl_partition"), rs.getLong("crl_number"),
                        rs.getLong("max_seq"), Sql.instant(rs, "this_update")), caName, partition);
    }

    @Override
    public void saveBase(CrlBase b) {
        sql.update("INSERT INTO crl_bases (ca_name, crl_partition, crl_number, max_seq, this_update) VALUES (?,?,?,?,?) "
                        + "ON CONFLICT (ca_name, crl_partition) DO UPDATE SET crl_number = excluded.crl_number, "
                        + "max_seq = excluded.max_seq, this_update = excluded.this_update WHERE excluded.crl_number > crl_bases.crl_number",
                b.caName(), b.partition(), b.number(), b.maxSeq(), b.thisUpdate());
    }
}
