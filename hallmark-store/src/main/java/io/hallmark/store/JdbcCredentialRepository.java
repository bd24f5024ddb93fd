package io.hallmark.store;

import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role;
import io.hallmark.core.store.CredentialRepository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcCredentialRepository implements CredentialRepository {

    private final Sql sql;

    JdbcCredentialRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void insert(Principal p) {
        sql.update("INSERT INTO api_principals (id, name, role, kind, secret_hash, created_at, revoked_at, expires_at) VALUES (?,?,?,?,?,?,?,?)",
                p.id(), p.name(), p.role().id(), p.kind().name(), p.secretHash(), p.createdAt(), p.revokedAt(), p.expiresAt());
    }

    @Override
    public Optional<Principal> find(String id) {
        return sql.one("SELECT * FROM api_principals WHERE id = ?", JdbcCredentialRepository::map, id);
    }

    @Override
    public List<Principal> all() {
        return sql.list("SELECT * FROM api_principals ORDER BY created_at", JdbcCredentialRepository::map);
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return sql.update("UPDATE api_principals SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, id) == 1;
    }

    @Override
    public void insertEnrollmentToken(String id, String deviceId, String secretHash, Instant expiresAt, Instant createdAt) {
        sql.update("INSERT INTO enrollment_tokens (id, device_id, secret_hash, expires_at, created_at) VALUES (?,?,?,?,?)",
                id, deviceId, secretHash, expiresAt, createdAt);
    }

    @Override
    public Optional<EnrollmentToken> usableEnrollmentToken(String id, Instant now) {
        return sql.one("SELECT * FROM enrollment_tokens WHERE id = ? AND used_at IS NULL AND expires_at > ?",
                rs -> new EnrollmentToken(rs.getString("id"), rs.getString("device_id"), rs.getString("secret_hash"), Sql.instant(rs, "expires_at")),
                id, now);
    }

    @Override
    public boolean claimEnrollmentToken(String id, Instant now) {
        // The conditional update is the claim: of two concurrent requests exactly one changes the row.
        return sql.update("UPDATE enrollment_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?", now, id, now) == 1;
    }


    private static Principal map(ResultSet rs) throws SQLException {
        return new Principal(rs.getString("id"), rs.getString("name"), Role.parse(rs.getString("role")),
                Principal.Kind.valueOf(rs.getString("kind")), rs.getString("secret_hash"), Sql.instant(rs, "created_at"), Sql.instant(rs, "revoked_at"),
                Sql.instant(rs, "expires_at"));
    }
}
