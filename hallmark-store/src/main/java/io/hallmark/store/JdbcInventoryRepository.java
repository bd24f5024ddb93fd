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
            + "r.serial AS revoked, (SELECT MIN(di.key_storage) FROM device_identities di WHERE di.device_id = c.device_id) AS key_storage "
            + "FROM certificates c LEFT JOIN revocations r ON r.serial = c.serial";
    /** A device certificate that is not the device's identity: an LDevID (or another operational certificate). */
    private static final String NOT_IDENTITY = " AND c.device_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM device_identities i WHERE i.serial = c.serial)";

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
                rs.getString("key_algorithm"), rs.getString("key_storage"), notAfter, status);
    }

    @Override
    public InventoryOverview overview(Instant at, List<String> deprecated) {
        Map<String, Long> byCa = new TreeMap<>();
        Map<String, Long> byProfile = new TreeMap<>();
        Map<String, Long> byAlgorithm = new TreeMap<>();
        long[] total = {0};
        // Reads only the (ca_name, profile, key_algorithm) index: a few hundred milliseconds at a million rows.
        sql.each("SELECT ca_name, profile, key_algorithm, COUNT(*) AS n FROM certificates GROUP BY ca_name, profile, key_algorithm",
                rs -> new Object[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)}, g -> {
                    long n = (Long) g[3];
                    total[0] += n;
                    byCa.merge((String) g[0], n, Long::sum);
                    byProfile.merge((String) g[1], n, Long::sum);
                    byAlgorithm.merge(named((String) g[2]), n, Long::sum);
                });
        long revoked = count("SELECT COUNT(*) FROM revocations");
        // A range of the not_after index; revoked ones among them are few (revocations are a small table).
        long expired = count("SELECT COUNT(*) FROM certificates c WHERE c.not_after < ? AND NOT EXISTS "
                + "(SELECT 1 FROM revocations r WHERE r.serial = c.serial)", at);
        Map<String, Long> byStatus = new java.util.LinkedHashMap<>();
        byStatus.put(InventoryStatus.VALID.id(), total[0] - revoked - expired);
        byStatus.put(InventoryStatus.REVOKED.id(), revoked);
        byStatus.put(InventoryStatus.EXPIRED.id(), expired);
        Map<String, Long> byKeyStorage = new TreeMap<>();
        sql.each("SELECT key_storage, COUNT(*) FROM device_identities GROUP BY key_storage",
                rs -> Map.entry(named(rs.getString(1)), rs.getLong(2)), e -> byKeyStorage.merge(e.getKey(), e.getValue(), Long::sum));
        long onDeprecated = deprecated.stream().mapToLong(a -> byAlgorithm.getOrDefault(a, 0L)).sum();
        return new InventoryOverview(at, total[0], byCa, byProfile, byAlgorithm, byStatus, byKeyStorage, List.copyOf(deprecated), onDeprecated);
    }

    private static String named(String value) {
        return value == null ? InventoryOverview.UNRECORDED : value;
    }

    private long count(String query, Object... args) {
        return sql.one(query, rs -> rs.getLong(1), args).orElse(0L);
    }
}
