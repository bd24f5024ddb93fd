package io.hallmark.store;

import io.hallmark.core.store.CrlBase;
import io.hallmark.core.store.CrlRepository;
import io.hallmark.core.store.PublishedCrl;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
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

    @Override
    public boolean savePublished(PublishedCrl c) {
        // One statement for insert and replace, conditional on the number: concurrent writers (a holder about to lose
        // its lease, a node signing a scope nobody stored yet) cannot step what is stored backwards.
        return sql.update("INSERT INTO published_crls (ca_name, crl_partition, is_delta, crl_number, base_number, this_update, "
                        + "next_update, max_seq, entries, der) VALUES (?,?,?,?,?,?,?,?,?,?) "
                        + "ON CONFLICT (ca_name, crl_partition, is_delta) DO UPDATE SET crl_number = excluded.crl_number, "
                        + "base_number = excluded.base_number, this_update = excluded.this_update, next_update = excluded.next_update, "
                        + "max_seq = excluded.max_seq, entries = excluded.entries, der = excluded.der "
                        + "WHERE excluded.crl_number > published_crls.crl_number",
                c.caName(), c.partition(), c.delta() ? 1 : 0, c.number(), c.baseNumber(), c.thisUpdate(), c.nextUpdate(),
                c.maxSeq(), c.entries(), c.der()) == 1;
    }

    @Override
    public Optional<Long> publishedNumber(PublishedCrl.Scope s) {
        return sql.one("SELECT crl_number FROM published_crls WHERE ca_name = ? AND crl_partition = ? AND is_delta = ?",
                rs -> rs.getLong(1), s.caName(), s.partition(), s.delta() ? 1 : 0);
    }

    @Override
    public Optional<PublishedCrl> published(PublishedCrl.Scope s) {
        return sql.one("SELECT * FROM published_crls WHERE ca_name = ? AND crl_partition = ? AND is_delta = ?",
                JdbcCrlRepository::published, s.caName(), s.partition(), s.delta() ? 1 : 0);
    }

    @Override
    public Map<PublishedCrl.Scope, Long> publishedNumbers() {
        Map<PublishedCrl.Scope, Long> numbers = new LinkedHashMap<>();
        sql.each("SELECT ca_name, crl_partition, is_delta, crl_number FROM published_crls ORDER BY ca_name, crl_partition, is_delta",
                rs -> Map.entry(new PublishedCrl.Scope(rs.getString(1), rs.getInt(2), rs.getInt(3) == 1), rs.getLong(4)),
                e -> numbers.put(e.getKey(), e.getValue()));
        return numbers;
    }

    private static PublishedCrl published(ResultSet rs) throws SQLException {
        long base = rs.getLong("base_number");
        Long baseNumber = rs.wasNull() ? null : base;
        return new PublishedCrl(rs.getString("ca_name"), rs.getInt("crl_partition"), rs.getInt("is_delta") == 1, rs.getLong("crl_number"),
                baseNumber, Sql.instant(rs, "this_update"), Sql.instant(rs, "next_update"), rs.getLong("max_seq"), rs.getInt("entries"),
                rs.getBytes("der"));
    }
}
