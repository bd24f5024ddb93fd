package io.hallmark.store;

import io.hallmark.core.store.OcspResponderRecord;
import io.hallmark.core.store.OcspResponderRepository;

import java.util.Optional;

final class JdbcOcspResponderRepository implements OcspResponderRepository {

    private final Sql sql;

    JdbcOcspResponderRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void lock(String caName) {
        // The CA's own row, which exists before its first responder does. FOR NO KEY UPDATE rather than FOR UPDATE:
        // it does not conflict with the key-share locks that inserting certificates under the CA takes for their
        // foreign key, so issuance goes on while a responder is rotated. SQLite: the IMMEDIATE transaction holds the
        // database's write lock already, and SQLite has no row locks.
        if (sql.dialect() == Dialect.POSTGRESQL) {
            sql.one("SELECT name FROM cas WHERE name = ? FOR NO KEY UPDATE", rs -> rs.getString(1), caName);
        }
    }

    @Override
    public Optional<OcspResponderRecord> find(String caName) {
        return sql.one("SELECT * FROM ocsp_responders WHERE ca_name = ?", rs -> new OcspResponderRecord(rs.getString("ca_name"),
                rs.getString("serial"), rs.getString("key_ref"), rs.getString("sealed_key"), rs.getString("retired_key_ref"),
                Sql.instant(rs, "rotated_at")), caName);
    }

    @Override
    public void put(OcspResponderRecord r) {
        sql.update("INSERT INTO ocsp_responders (ca_name, serial, key_ref, sealed_key, retired_key_ref, rotated_at) VALUES (?,?,?,?,?,?) "
                        + "ON CONFLICT (ca_name) DO UPDATE SET serial = excluded.serial, key_ref = excluded.key_ref, "
                        + "sealed_key = excluded.sealed_key, retired_key_ref = excluded.retired_key_ref, rotated_at = excluded.rotated_at",
                r.caName(), r.serial(), r.keyRef(), r.sealedKey(), r.retiredKeyRef(), r.rotatedAt());
    }
}
