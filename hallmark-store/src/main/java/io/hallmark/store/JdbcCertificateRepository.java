package io.hallmark.store;

import io.hallmark.core.revoke.RevocationReason;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.CertificateRepository;
import io.hallmark.core.store.Revocation;

import java.sql.ResultSet;
import java.sql.SQLException;
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
        sql.update("INSERT INTO certificates (serial, ca_name, profile, device_id, subject, key_id, fingerprint, not_before, not_after, issued_at, der) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                c.serial(), c.caName(), c.profile(), c.deviceId(), c.subject(), c.keyId(), c.fingerprint(),
                c.notBefore(), c.notAfter(), c.issuedAt(), c.der());
    }

    @Override
    public Optional<CertificateRecord> find(String serial) {
        return sql.one(SELECT + " WHERE c.serial = ?", JdbcCertificateRepository::map, serial);
    }

    @Override
    public List<CertificateRecord> find(CertificateQuery q) {
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
        return sql.list(SELECT + where + " ORDER BY c.issued_at DESC, c.serial LIMIT ?", JdbcCertificateRepository::map, args.toArray());
    }

    @Override
    public boolean revoke(String serial, Revocation r) {
        if (sql.one("SELECT serial FROM revocations WHERE serial = ?", rs -> rs.getString(1), serial).isPresent()) {
            return false;
        }
        sql.update("INSERT INTO revocations (serial, reason, revoked_at, invalidity_date) VALUES (?,?,?,?)",
                serial, r.reason().name(), r.revokedAt(), r.invalidityDate());
        return true;
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
                Sql.instant(rs, "not_after"), Sql.instant(rs, "issued_at"), rs.getBytes("der"), revocation);
    }
}
