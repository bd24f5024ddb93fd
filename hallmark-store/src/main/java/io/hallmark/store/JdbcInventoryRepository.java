package io.hallmark.store;

import io.hallmark.core.store.InventoryFilter;
import io.hallmark.core.store.InventoryOverview;
import io.hallmark.core.store.InventoryRepository;
import io.hallmark.core.store.InventoryRow;
import io.hallmark.core.store.InventoryStatus;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Inventory listings in serial order (keyset paging on the primary key) and the overview's counts as GROUP BYs
 * over indexes (migration V10): measured at 1,000,000 certificates in docs/benchmarks.md ("Inventory").
 */
final class JdbcInventoryRepository implements InventoryRepository {

    /** The device's key storage: one per identity; a device with several identities shows the first by name. */
    private static final String SELECT = "SELECT c.serial, c.ca_name, c.profile, c.device_id, c.key_algorithm, c.not_after, "
            + "r.serial AS revoked, (SELECT MIN(di.key_storage) FROM device_identities di WHERE di.device_id = c.device_id) AS key_storage, "
            + "ls.last_seen FROM certificates c LEFT JOIN revocations r ON r.serial = c.serial "
            + "LEFT JOIN device_last_seen ls ON ls.device_id = c.device_id";
    /** A device certificate that is not the device's identity: an LDevID (or another operational certificate). */
    private static final String NOT_IDENTITY = " AND c.device_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM device_identities i WHERE "
            + JdbcIssuanceRepository.bindingOf("i", "c") + ")";

    private final Sql sql;

    JdbcInventoryRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public List<InventoryRow> page(InventoryFilter filter, String afterSerial, int limit) {
        List<InventoryRow> rows = new ArrayList<>();
        query(filter, afterSerial, limit, rows::add);
        return rows;
    }

    @Override
    public void each(InventoryFilter filter, Consumer<InventoryRow> consumer) {
        query(filter, null, -1, consumer);
    }

    private void query(InventoryFilter f, String afterSerial, int limit, Consumer<InventoryRow> consumer) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (afterSerial != null) {
            where.append(" AND c.serial > ?");
            args.add(afterSerial);
        }
        if (f.caName() != null) {
            where.append(" AND c.ca_name = ?");
            args.add(f.caName());
        }
        if (f.profile() != null) {
            where.append(" AND c.profile = ?");
            args.add(f.profile());
        }
        if (f.algorithms() != null) {
            if (f.algorithms().isEmpty()) return; // nothing deprecated: nothing on a deprecated algorithm
            where.append(" AND c.key_algorithm IN (").append(Sql.placeholders(f.algorithms().size())).append(")");
            args.addAll(f.algorithms());
        }
        if (f.keyStorage() != null) {
            where.append(" AND EXISTS (SELECT 1 FROM device_identities k WHERE k.device_id = c.device_id AND k.key_storage = ?)");
            args.add(f.keyStorage());
        }
        if (f.status() != null) {
            switch (f.status()) {
                case REVOKED -> where.append(" AND r.serial IS NOT NULL");
                case VALID -> {
                    where.append(" AND r.serial IS NULL AND c.not_after >= ?");
                    args.add(f.now());
                }
                case EXPIRED -> {
                    where.append(" AND r.serial IS NULL AND c.not_after < ?");
                    args.add(f.now());
                }
            }
        }
        if (f.expiringBefore() != null) {
            where.append(" AND r.serial IS NULL AND c.not_after < ?");
            args.add(f.expiringBefore());
        }
        if (f.neverRenewed()) {
            where.append(NOT_IDENTITY).append(" AND NOT EXISTS (SELECT 1 FROM certificates o WHERE o.device_id = c.device_id"
                    + " AND o.profile = c.profile AND o.serial <> c.serial)");
        }
        if (f.idevidRevokedLdevidAlive()) {
            where.append(NOT_IDENTITY).append(" AND r.serial IS NULL AND c.not_after >= ? AND EXISTS (SELECT 1 FROM device_identities d"
                    + " JOIN revocations dr ON dr.serial = d.serial WHERE d.device_id = c.device_id)");
            args.add(f.now());
        }
        // Last seen: a probe of device_last_seen's primary key per certificate (migration V11).
        if (f.seenSince() != null) {
            where.append(" AND ls.last_seen >= ?");
            args.add(f.seenSince());
        }
        if (f.notSeenSince() != null) {
            where.append(" AND c.device_id IS NOT NULL AND (ls.last_seen IS NULL OR ls.last_seen < ?)");
            args.add(f.notSeenSince());
        }
        String tail = " ORDER BY c.serial";
        if (limit > 0) {
            tail += " LIMIT ?";
            args.add(limit);
        }
        Instant now = f.now();
        sql.each(SELECT + where + tail, rs -> row(rs, now), consumer, args.toArray());
    }

    private static InventoryRow row(ResultSet rs, Instant now) throws SQLException {
        Instant notAfter = Sql.instant(rs, "not_after");
        InventoryStatus status = rs.getString("revoked") != null ? InventoryStatus.REVOKED
                : notAfter.isBefore(now) ? InventoryStatus.EXPIRED : InventoryStatus.VALID;
        return new InventoryRow(rs.getString("serial"), rs.getString("ca_name"), rs.getString("profile"), rs.getString("device_id"),
                rs.getString("key_algorithm"), rs.getString("key_storage"), notAfter, status, Sql.instant(rs, "last_seen"));
    }

    /** notAfter 99991231235959Z (RFC 5280 section 4.1.2.5: no well-defined expiration date), in epoch milliseconds. */
    static final long NEVER = Instant.parse("9999-12-31T23:59:59Z").toEpochMilli();

    /**
     * The overview in a handful of statements, none of which reads a certificate row: totals from the covering index
     * (ca_name, profile, key_algorithm); expired and soon-expiring ones from a range of the index (not_after, ca_name,
     * key_algorithm) (migration V11); the revoked ones from the revocations table, a small one, joined to their
     * certificates by primary key. Valid = total - revoked - expired and not revoked. Measured at 1,000,000
     * certificates in docs/benchmarks.md ("Overview and posture").
     */
    @Override
    public InventoryOverview overview(Instant at, List<String> deprecated) {
        long t = at.toEpochMilli();
        long day = java.time.Duration.ofDays(1).toMillis();
        long d7 = t + 7 * day, d30 = t + 30 * day, d90 = t + 90 * day, y1 = t + 365 * day;
        Map<String, Long> byCa = new TreeMap<>();
        Map<String, Long> byProfile = new TreeMap<>();
        Map<String, Long> byAlgorithm = new TreeMap<>();
        Counts totals = new Counts();
        long[] total = {0};
        sql.each("SELECT ca_name, profile, key_algorithm, COUNT(*) AS n FROM certificates GROUP BY ca_name, profile, key_algorithm",
                rs -> new Object[]{rs.getString(1), rs.getString(2), named(rs.getString(3)), rs.getLong(4)}, g -> {
                    long n = (Long) g[3];
                    total[0] += n;
                    byCa.merge((String) g[0], n, Long::sum);
                    byProfile.merge((String) g[1], n, Long::sum);
                    byAlgorithm.merge((String) g[2], n, Long::sum);
                    totals.add((String) g[0], (String) g[2], "all", n);
                });
        // Expired and expiring within 90 days, revoked or not: a range at the start of the not_after index. Grouped by the
        // bucket first: grouped by ca_name first, SQLite (no statistics) scans a whole index in ca_name order to save
        // the sort, 0.7 s at a million rows instead of the few rows of the range.
        Counts soon = new Counts();
        sql.each("SELECT ca_name, key_algorithm, CASE WHEN not_after < ? THEN 'expired' WHEN not_after < ? THEN '7d' WHEN not_after < ? THEN '30d'"
                        + " ELSE '90d' END AS b, COUNT(*) AS n FROM certificates WHERE not_after < ? GROUP BY 3, 1, 2",
                rs -> new Object[]{rs.getString(1), named(rs.getString(2)), rs.getString(3), rs.getLong(4)},
                g -> soon.add((String) g[0], (String) g[1], (String) g[2], (Long) g[3]), t, d7, d30, d90);
        long year = count("SELECT COUNT(*) FROM certificates WHERE not_after >= ? AND not_after < ?", d90, y1);
        long never = count("SELECT COUNT(*) FROM certificates WHERE not_after >= ?", NEVER);
        Counts revoked = new Counts();
        sql.each("SELECT c.ca_name, c.key_algorithm, CASE WHEN c.not_after >= ? THEN 'never' WHEN c.not_after < ? THEN 'expired'"
                        + " WHEN c.not_after < ? THEN '7d' WHEN c.not_after < ? THEN '30d' WHEN c.not_after < ? THEN '90d' WHEN c.not_after < ? THEN '1y'"
                        + " ELSE 'later' END AS b, COUNT(*) AS n FROM revocations r CROSS JOIN certificates c WHERE c.serial = r.serial"
                        // CROSS JOIN: SQLite then walks the revocations and probes the certificates by primary key, rather
                        // than the other way round (PostgreSQL plans it as any join)
                        + " GROUP BY 3, 1, 2",
                rs -> new Object[]{rs.getString(1), named(rs.getString(2)), rs.getString(3), rs.getLong(4)},
                g -> revoked.add((String) g[0], (String) g[1], (String) g[2], (Long) g[3]), NEVER, t, d7, d30, d90, y1);

        Map<String, Map<String, Long>> statusByCa = new TreeMap<>();
        Map<String, Long> validByAlgorithm = new TreeMap<>();
        Map<String, Map<String, Long>> expiryByCa = new TreeMap<>();
        long revokedAll = 0, expiredAll = 0;
        for (var key : totals.keys()) {
            String ca = key.getKey(), alg = key.getValue();
            long all = totals.get(ca, alg, "all");
            long rev = revoked.sum(ca, alg);
            long expired = soon.get(ca, alg, "expired") - revoked.get(ca, alg, "expired");
            long valid = all - rev - expired;
            revokedAll += rev;
            expiredAll += expired;
            Map<String, Long> status = statusByCa.computeIfAbsent(ca, k -> zeros(InventoryStatus.VALID.id(), InventoryStatus.REVOKED.id(), InventoryStatus.EXPIRED.id()));
            status.merge(InventoryStatus.VALID.id(), valid, Long::sum);
            status.merge(InventoryStatus.REVOKED.id(), rev, Long::sum);
            status.merge(InventoryStatus.EXPIRED.id(), expired, Long::sum);
            validByAlgorithm.merge(alg, valid, Long::sum);
            Map<String, Long> windows = expiryByCa.computeIfAbsent(ca, k -> zeros("7d", "30d", "90d"));
            for (String b : List.of("7d", "30d", "90d")) windows.merge(b, soon.get(ca, alg, b) - revoked.get(ca, alg, b), Long::sum);
        }
        Map<String, Long> byStatus = new java.util.LinkedHashMap<>();
        long validAll = total[0] - revokedAll - expiredAll;
        byStatus.put(InventoryStatus.VALID.id(), validAll);
        byStatus.put(InventoryStatus.REVOKED.id(), revokedAll);
        byStatus.put(InventoryStatus.EXPIRED.id(), expiredAll);
        Map<String, Long> expiry = new java.util.LinkedHashMap<>();
        long bucketed = 0;
        for (String b : List.of("7d", "30d", "90d")) {
            long n = expiryByCa.values().stream().mapToLong(w -> w.get(b)).sum();
            expiry.put(b, n);
            bucketed += n;
        }
        long inYear = year - revoked.bucket("1y"), forever = never - revoked.bucket("never");
        expiry.put("1y", inYear);
        expiry.put("later", validAll - bucketed - inYear - forever);
        expiry.put("never", forever);

        Map<String, Long> byKeyStorage = new TreeMap<>();
        sql.each("SELECT key_storage, COUNT(*) FROM device_identities GROUP BY key_storage",
                rs -> Map.entry(named(rs.getString(1)), rs.getLong(2)), e -> byKeyStorage.merge(e.getKey(), e.getValue(), Long::sum));
        long onDeprecated = deprecated.stream().mapToLong(a -> byAlgorithm.getOrDefault(a, 0L)).sum();
        return new InventoryOverview(at, total[0], byCa, byProfile, byAlgorithm, byStatus, byKeyStorage, List.copyOf(deprecated), onDeprecated,
                statusByCa, validByAlgorithm, expiry, expiryByCa, devices(at.minus(InventoryOverview.SEEN_WINDOW)));
    }

    /** Devices registered, blocked, and seen since {@code since} (not blocked): counts of primary keys and of a range of device_last_seen_at. */
    private InventoryOverview.Devices devices(Instant since) {
        long registered = count("SELECT COUNT(*) FROM devices");
        long blocked = count("SELECT COUNT(*) FROM device_blocks");
        long seen = count("SELECT COUNT(*) FROM device_last_seen WHERE last_seen >= ?", since)
                - count("SELECT COUNT(*) FROM device_blocks b CROSS JOIN device_last_seen s WHERE s.device_id = b.device_id AND s.last_seen >= ?", since);
        return new InventoryOverview.Devices(registered, blocked, seen);
    }

    private static Map<String, Long> zeros(String... keys) {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (String k : keys) m.put(k, 0L);
        return m;
    }

    /** Counts by CA, key algorithm and bucket. */
    private static final class Counts {
        private final Map<Map.Entry<String, String>, Map<String, Long>> counts = new java.util.LinkedHashMap<>();

        void add(String ca, String alg, String bucket, long n) {
            counts.computeIfAbsent(Map.entry(ca, alg), k -> new java.util.HashMap<>()).merge(bucket, n, Long::sum);
        }

        long get(String ca, String alg, String bucket) {
            return counts.getOrDefault(Map.entry(ca, alg), Map.of()).getOrDefault(bucket, 0L);
        }

        long sum(String ca, String alg) {
            return counts.getOrDefault(Map.entry(ca, alg), Map.of()).values().stream().mapToLong(Long::longValue).sum();
        }

        long bucket(String bucket) {
            return counts.values().stream().mapToLong(m -> m.getOrDefault(bucket, 0L)).sum();
        }

        java.util.Set<Map.Entry<String, String>> keys() {
            return counts.keySet();
        }
    }

    private static String named(String value) {
        return value == null ? InventoryOverview.UNRECORDED : value;
    }

    private long count(String query, Object... args) {
        return sql.one(query, rs -> rs.getLong(1), args).orElse(0L);
    }
}
