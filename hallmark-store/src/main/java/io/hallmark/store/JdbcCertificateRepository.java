package io.hallmark.store;

import io.hallmark.core.inventory.CertificateKeyAlgorithm;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.CertificateRepository;
import io.hallmark.core.store.Revocation;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.core.store.RevokedEntry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcCertificateRepository implements CertificateRepository {

    private static final String SELECT = "SELECT c.*, r.reason, r.revoked_at, r.invalidity_date "
            + "FROM certificates c LEFT JOIN revocations r ON r.serial = c.serial";

    private final Sql sql;

    JdbcCertificateRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void insert(CertificateRecord c) {
        sql.update("INSERT INTO certificates (serial, ca_name, profile, device_id, subject, key_id, fingerprint, not_before, not_after, issued_at, der, crl_partition, key_algorithm) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                c.serial(), c.caName(), c.profile(), c.deviceId(), c.subject(), c.keyId(), c.fingerprint(),
                c.notBefore(), c.notAfter(), c.issuedAt(), c.der(), c.crlPartition(), CertificateKeyAlgorithm.of(c.der()));
    }

    @Override
    public Optional<CertificateRecord> find(String serial) {
        return sql.one(SELECT + " WHERE c.serial = ?", JdbcCertificateRepository::map, serial);
    }

    @Override
    public List<CertificateRecord> find(CertificateQuery q) {
        List<CertificateRecord> out = new ArrayList<>();
        each(q, out::add);
        return out;
    }

    @Override
    public void each(CertificateQuery q, java.util.function.Consumer<CertificateRecord> consumer) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.deviceId() != null) {
            where.append(" AND c.device_id = ?");
            args.add(q.deviceId());
        }
        if (q.caName() != null) {
            where.append(" AND c.ca_name = ?");
            args.add(q.caName());
        }
        if (q.profile() != null) {
            where.append(" AND c.profile = ?");
            args.add(q.profile());
        }
        if (q.expiringBefore() != null) {
            where.append(" AND c.not_after < ? AND r.serial IS NULL");
            args.add(q.expiringBefore());
        }
        args.add(q.limit());
        String order = " ORDER BY c.issued_at DESC, c.serial LIMIT ?";
        sql.each(SELECT + where + order, JdbcCertificateRepository::map, consumer, args.toArray());
    }

    @Override
    public boolean revoke(String serial, Revocation r) {
        if (sql.one("SELECT serial FROM revocations WHERE serial = ?", rs -> rs.getString(1), serial).isPresent()) {
            return false;
        }
        // Same pattern as the audit head: the UPDATE's lock orders revocations by commit across nodes.
        sql.update("UPDATE revocation_head SET seq = seq + 1 WHERE id = 1");
        long seq = revocationSequence();
        // The certificate's CA, notAfter and partition go with it: a CRL then reads the revocations alone (V17).
        int written = sql.update("INSERT INTO revocations (serial, reason, revoked_at, invalidity_date, seq, ca_name, not_after, crl_partition) "
                + "SELECT ?, ?, ?, ?, ?, ca_name, not_after, crl_partition FROM certificates WHERE serial = ?",
                serial, r.reason().name(), r.revokedAt(), r.invalidityDate(), seq, serial);
        if (written != 1) { // what the foreign key said when the row came from VALUES: no such certificate
            throw new IllegalStateException("no certificate with serial " + serial + " to revoke");
        }
        return true;
    }

    @Override
    public long revocationSequence() {
        return sql.one("SELECT seq FROM revocation_head WHERE id = 1", rs -> rs.getLong(1)).orElse(0L);
    }

    private static final String REVOKED = "SELECT r.serial, r.reason, r.revoked_at, r.invalidity_date, r.seq, c.ca_name, c.crl_partition "
            + "FROM revocations r JOIN certificates c ON c.serial = r.serial";

    @Override
    public List<RevokedEntry> revokedSince(long afterSeq, int limit) {
        return sql.list(REVOKED + " WHERE r.seq > ? ORDER BY r.seq LIMIT ?", JdbcCertificateRepository::revoked, afterSeq, limit);
    }

    /**
     * The revocations of a CA from their own rows (V17 copies the certificate's CA, notAfter and partition into each),
     * then, through the certificate, any row written without those copies (none that this code writes; an index probe
     * for NULL finds that out at no cost). A million entries stream in well under a second (docs/benchmarks.md).
     */
    @Override
    public void eachRevoked(String caName, Integer partition, long afterSeq, long upToSeq, java.time.Instant notExpiredAt,
                            java.util.function.Consumer<RevokedEntry> consumer) {
        List<Object> args = new ArrayList<>();
        boolean packed = sql.dialect() == Dialect.SQLITE;
        String own = "SELECT " + columns(packed, "r") + " FROM revocations r"
                + revokedFilter("r", "r.ca_name = ?", caName, partition, afterSeq, upToSeq, notExpiredAt, args);
        // CROSS JOIN: SQLite then walks the (NULL) revocations and probes their certificates, rather than probing the
        // revocations for each of the CA's certificates (a million probes for none found, 10 s at a million).
        String joined = "SELECT " + columns(packed, "c") + " FROM revocations r CROSS JOIN certificates c"
                + revokedFilter("c", "r.ca_name IS NULL AND c.serial = r.serial AND c.ca_name = ?", caName, partition, afterSeq, upToSeq, notExpiredAt, args);
        if (packed) {
            sql.each(10_000, own + " UNION ALL " + joined, rs -> PackedRevokedRow.parse(rs.getBytes(1), caName), consumer, args.toArray());
            return;
        }
        RevocationReason[] reasons = RevocationReason.values();
        sql.each(10_000, own + " UNION ALL " + joined, rs -> {
            // By position, and the reason looked up without an exception path: this runs once per revoked certificate.
            String reason = rs.getString(2);
            RevocationReason parsed = null;
            for (RevocationReason candidate : reasons) {
                if (candidate.name().equals(reason)) parsed = candidate;
            }
            if (parsed == null) parsed = RevocationReason.valueOf(reason);
            long revokedAt = rs.getLong(3);
            long invalidity = rs.getLong(4);
            Instant invalidityDate = rs.wasNull() ? null : Instant.ofEpochMilli(invalidity);
            int part = rs.getInt(6);
            Integer crlPartition = rs.wasNull() ? null : part;
            return new RevokedEntry(rs.getString(1), caName, crlPartition, new Revocation(parsed, Instant.ofEpochMilli(revokedAt), invalidityDate),
                    rs.getLong(5));
        }, consumer, args.toArray());
    }

    /**
     * The columns of {@link #eachRevoked}, the partition from {@code partitionOf}: on SQLite packed into one
     * ({@link PackedRevokedRow}), on PostgreSQL apart (its driver decodes a row's columns from one message, in Java).
     */
    private static String columns(boolean packed, String partitionOf) {
        String partition = partitionOf + ".crl_partition";
        return packed ? PackedRevokedRow.column("r.serial", "r.reason", "r.revoked_at", "r.invalidity_date", "r.seq", partition)
                : "r.serial, r.reason, r.revoked_at, r.invalidity_date, r.seq, " + partition;
    }

    /** The WHERE clause of one branch of {@link #eachRevoked}; {@code alias} holds not_after and crl_partition. */
    private static String revokedFilter(String alias, String ca, String caName, Integer partition, long afterSeq, long upToSeq,
                                        Instant notExpiredAt, List<Object> args) {
        StringBuilder q = new StringBuilder(" WHERE ").append(ca).append(" AND ").append(alias).append(".not_after >= ? AND (r.seq IS NULL OR r.seq <= ?)");
        args.addAll(List.of(caName, notExpiredAt, upToSeq));
        if (partition != null) {
            q.append(" AND ").append(alias).append(".crl_partition = ?");
            args.add(partition);
        }
        if (afterSeq >= 0) {
            q.append(" AND r.seq > ?");
            args.add(afterSeq);
        }
        return q.toString();
    }

    private static RevokedEntry revoked(ResultSet rs) throws SQLException {
        Revocation revocation = new Revocation(RevocationReason.valueOf(rs.getString("reason")), Sql.instant(rs, "revoked_at"),
                Sql.instant(rs, "invalidity_date"));
        return new RevokedEntry(rs.getString("serial"), rs.getString("ca_name"), Sql.integer(rs, "crl_partition"), revocation, rs.getLong("seq"));
    }

    @Override
    public void scan(String caName, java.util.function.Consumer<CertificateRecord> consumer) {
        if (caName == null) {
            sql.each(SELECT, JdbcCertificateRepository::map, consumer);
        } else {
            sql.each(SELECT + " WHERE c.ca_name = ?", JdbcCertificateRepository::map, consumer, caName);
        }
    }

    @Override
    public long count() {
        return sql.one("SELECT COUNT(*) FROM certificates", rs -> rs.getLong(1)).orElse(0L);
    }

    static CertificateRecord map(ResultSet rs) throws SQLException {
        String reason = rs.getString("reason");
        Revocation revocation = reason == null ? null
                : new Revocation(RevocationReason.valueOf(reason), Sql.instant(rs, "revoked_at"), Sql.instant(rs, "invalidity_date"));
        return new CertificateRecord(rs.getString("serial"), rs.getString("ca_name"), rs.getString("profile"), rs.getString("device_id"),
                rs.getString("subject"), rs.getString("key_id"), rs.getString("fingerprint"), Sql.instant(rs, "not_before"),
                Sql.instant(rs, "not_after"), Sql.instant(rs, "issued_at"), rs.getBytes("der"), revocation, Sql.integer(rs, "crl_partition"));
    }
}
