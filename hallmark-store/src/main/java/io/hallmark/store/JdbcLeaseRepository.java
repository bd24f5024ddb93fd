package io.hallmark.store;

import io.hallmark.core.store.Lease;
import io.hallmark.core.store.LeaseRepository;

import java.time.Duration;
import java.util.Optional;

/**
 * Leases in one table, timed by the database server's clock ({@link Dialect#nowMillis}): every node compares
 * against the same clock, so a node whose clock runs ahead cannot take a lease early.
 */
final class JdbcLeaseRepository implements LeaseRepository {

    private final Sql sql;

    JdbcLeaseRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public boolean acquire(String name, String holder, Duration ttl) {
        String now = sql.dialect().nowMillis;
        // One statement, so two nodes racing for a free or expired lease cannot both win: the insert or the
        // conditional update takes the row's lock, and the loser's condition no longer holds. excluded.acquired_at is
        // "now" as this statement saw it.
        return sql.update("INSERT INTO leases (name, holder, expires_at, acquired_at) VALUES (?, ?, " + now + " + ?, " + now + ") "
                        + "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at, "
                        + "acquired_at = CASE WHEN leases.holder = excluded.holder AND leases.expires_at >= excluded.acquired_at "
                        + "THEN leases.acquired_at ELSE excluded.acquired_at END "
                        + "WHERE leases.holder = excluded.holder OR leases.expires_at < excluded.acquired_at",
                name, holder, ttl.toMillis()) == 1;
    }

    @Override
    public void release(String name, String holder) {
        sql.update("UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ?", name, holder);
    }

    @Override
    public Optional<Lease> find(String name) {
        return sql.one("SELECT name, holder, expires_at, acquired_at FROM leases WHERE name = ?",
                rs -> new Lease(rs.getString(1), rs.getString(2), Sql.instant(rs, "expires_at"), Sql.instant(rs, "acquired_at")), name);
    }
}
