package io.hallmark.store;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.store.CaRepository;
import io.hallmark.core.store.CertificateAuthority;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

final class JdbcCaRepository implements CaRepository {

    private final Sql sql;

    JdbcCaRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void insert(CertificateAuthority ca) {
        sql.update("INSERT INTO cas (name, parent, algorithm, key_ref, certificate, path_len, profiles, created_at) VALUES (?,?,?,?,?,?,?,?)",
                ca.name(), ca.parent(), ca.algorithm().id(), ca.keyRef(), ca.certificate(), ca.pathLen(),
                String.join(",", ca.profiles()), ca.createdAt());
        new JdbcConfigRepository(sql).markChanged();
    }

    @Override
    public void update(CertificateAuthority ca) {
        int n = sql.update("UPDATE cas SET parent = ?, certificate = ?, path_len = ?, profiles = ? WHERE name = ? AND key_ref = ?",
                ca.parent(), ca.certificate(), ca.pathLen(), String.join(",", ca.profiles()), ca.name(), ca.keyRef());
        if (n != 1) throw new IllegalStateException("no CA " + ca.name() + " with key " + ca.keyRef() + " to update");
        new JdbcConfigRepository(sql).markChanged();
    }

    @Override
    public Optional<CertificateAuthority> find(String name) {
        return sql.one("SELECT * FROM cas WHERE name = ?", JdbcCaRepository::map, name);
    }

    @Override
    public List<CertificateAuthority> all() {
        return sql.list("SELECT * FROM cas ORDER BY created_at, name", JdbcCaRepository::map);
    }

    private static CertificateAuthority map(ResultSet rs) throws SQLException {
        String profiles = rs.getString("profiles");
        return new CertificateAuthority(rs.getString("name"), rs.getString("parent"), KeyAlgorithm.parse(rs.getString("algorithm")),
                rs.getString("key_ref"), rs.getBytes("certificate"), Sql.integer(rs, "path_len"),
                profiles.isEmpty() ? List.of() : Arrays.asList(profiles.split(",")), Sql.instant(rs, "created_at"));
    }
}
