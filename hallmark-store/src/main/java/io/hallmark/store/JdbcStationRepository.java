package io.hallmark.store;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.StationRecord;
import io.hallmark.core.store.StationRepository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

final class JdbcStationRepository implements StationRepository {

    private final Sql sql;

    JdbcStationRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void insert(StationRecord s) {
        try {
            sql.update("INSERT INTO stations (name, site, product_line, cas, profiles, quota, valid_from, valid_until, cert_serial, "
                            + "cert_fingerprint, issued, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    s.name(), s.site(), s.productLine(), String.join(",", s.cas()), String.join(",", s.profiles()), s.quota(),
                    s.validFrom(), s.validUntil(), s.certSerial(), s.certFingerprint(), s.issued(), s.createdAt());
            new JdbcConfigRepository(sql).markChanged();
        } catch (HallmarkException e) {
            if (e.kind() == HallmarkException.Kind.CONFLICT) {
                throw HallmarkException.conflict("a station named '" + s.name() + "' (or with that certificate) already exists");
            }
            throw e;
        }
    }

    @Override
    public Optional<StationRecord> find(String name) {
        return sql.one("SELECT * FROM stations WHERE name = ?", JdbcStationRepository::map, name);
    }

    @Override
    public Optional<StationRecord> findByFingerprint(String fingerprint) {
        return sql.one("SELECT * FROM stations WHERE cert_fingerprint = ?", JdbcStationRepository::map, fingerprint);
    }

    @Override
    public List<StationRecord> all() {
        return sql.list("SELECT * FROM stations ORDER BY name", JdbcStationRepository::map);
    }

    @Override
    public void setDisabled(String name, java.time.Instant at) {
        if (sql.update("UPDATE stations SET disabled_at = ? WHERE name = ?", at, name) == 0) {
            throw HallmarkException.notFound("no station named '" + name + "'");
        }
        new JdbcConfigRepository(sql).markChanged();
    }

    @Override
    public void setQuota(String name, Long quota) {
        if (sql.update("UPDATE stations SET quota = ? WHERE name = ?", quota, name) == 0) {
            throw HallmarkException.notFound("no station named '" + name + "'");
        }
        new JdbcConfigRepository(sql).markChanged();
    }

    @Override
    public long reserve(String name, long wanted) {
        // The no-op UPDATE takes the row lock on PostgreSQL (SQLite's IMMEDIATE transaction already holds
        // the database's write lock), so the read and the increment below cannot interleave with another batch.
        if (sql.update("UPDATE stations SET issued = issued WHERE name = ?", name) == 0) {
            throw HallmarkException.notFound("no station named '" + name + "'");
        }
        StationRecord s = find(name).orElseThrow();
        long granted = s.quota() == null ? wanted : Math.max(0, Math.min(wanted, s.quota() - s.issued()));
        if (granted > 0) {
            sql.update("UPDATE stations SET issued = issued + ? WHERE name = ?", granted, name);
        }
        return granted;
    }

    private static StationRecord map(ResultSet rs) throws SQLException {
        long quota = rs.getLong("quota");
        Long q = rs.wasNull() ? null : quota;
        return new StationRecord(rs.getString("name"), rs.getString("site"), rs.getString("product_line"),
                split(rs.getString("cas")), split(rs.getString("profiles")), q, Sql.instant(rs, "valid_from"),
                Sql.instant(rs, "valid_until"), rs.getString("cert_serial"), rs.getString("cert_fingerprint"),
                rs.getLong("issued"), Sql.instant(rs, "created_at"), Sql.instant(rs, "disabled_at"));
    }

    private static List<String> split(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
    }
}
