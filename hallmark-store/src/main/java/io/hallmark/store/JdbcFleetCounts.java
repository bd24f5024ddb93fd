package io.hallmark.store;

import io.hallmark.core.posture.FleetCounts;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The radar's fleet counts as grouped queries, in one read-only transaction: counts come back, never rows. Valid
 * certificates are grouped by CA over the certificates table (an anti-join on revocations); and by expiry bucket.
 */
public final class JdbcFleetCounts implements FleetCounts.Source {

    /** notAfter 99991231235959Z (RFC 5280 §4.1.2.5: no well-defined expiration date), in epoch milliseconds. */
    static final long NEVER = Instant.parse("9999-12-31T23:59:59Z").toEpochMilli();

    private final JdbcStore store;

    public JdbcFleetCounts(JdbcStore store) {
        this.store = store;
    }

    @Override
    public FleetCounts counts(Instant now) {
        long t = now.toEpochMilli();
        long in30 = now.plus(Duration.ofDays(30)).toEpochMilli();
        long in90 = now.plus(Duration.ofDays(90)).toEpochMilli();
        long in365 = now.plus(Duration.ofDays(365)).toEpochMilli();
        return store.read(tx -> {
            Sql sql = ((JdbcTx) tx).sql();
            Map<String, Long> storage = new HashMap<>();
            sql.each("SELECT COALESCE(key_storage, 'unknown') AS k, COUNT(*) AS n FROM device_identities GROUP BY COALESCE(key_storage, 'unknown')",
                    rs -> Map.entry(rs.getString("k"), rs.getLong("n")), e -> storage.put(e.getKey(), e.getValue()));
            Map<String, Long> byCa = new HashMap<>();
            sql.each("SELECT c.ca_name AS ca, COUNT(*) AS n FROM certificates c WHERE c.not_after > ? AND c.not_before <= ?"
                            + " AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.serial = c.serial) GROUP BY c.ca_name",
                    rs -> Map.entry(rs.getString("ca"), rs.getLong("n")), e -> byCa.put(e.getKey(), e.getValue()), t, t);
            Map<String, Long> expiry = new HashMap<>();
            sql.each("SELECT CASE WHEN c.not_after >= ? THEN 'never' WHEN c.not_after <= ? THEN '30d' WHEN c.not_after <= ? THEN '90d'"
                            + " WHEN c.not_after <= ? THEN '1y' ELSE 'later' END AS b, COUNT(*) AS n FROM certificates c"
                            + " WHERE c.not_after > ? AND c.not_before <= ? AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.serial = c.serial)"
                            + " GROUP BY 1", // by position: PostgreSQL takes the bound CASE written twice for two expressions
                    rs -> Map.entry(rs.getString("b"), rs.getLong("n")), e -> expiry.put(e.getKey(), e.getValue()),
                    NEVER, in30, in90, in365, t, t);
            // MAX over no rows is one NULL row: read into a list, which may hold null where Optional may not
            Instant checkpoint = sql.list("SELECT MAX(at) AS at FROM audit_log WHERE action = 'audit.checkpoint'",
                    rs -> Sql.instant(rs, "at")).getFirst();
            return new FleetCounts(storage, byCa, expiry, checkpoint);
        });
    }
}
