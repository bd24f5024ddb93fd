package io.hallmark.store;

import io.hallmark.core.store.MigrationPolicyRecord;
import io.hallmark.core.store.MigrationPolicyRepository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Migration policies and their removals (V14), both append-only; progress counts over certificates. */
final class JdbcMigrationPolicyRepository implements MigrationPolicyRepository {

    private final Sql sql;

    JdbcMigrationPolicyRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public long append(MigrationPolicyRecord p) {
        // The sequence first: its row lock orders concurrent writers, so MAX(id) + 1 is taken by one of them at a time.
        new JdbcConfigRepository(sql).markChanged();
        long id = sql.one("SELECT COALESCE(MAX(id), 0) + 1 FROM migration_policies", rs -> rs.getLong(1)).orElse(1L);
        sql.update("INSERT INTO migration_policies (id, group_kind, group_value, to_ca, to_profile, to_algorithm, grace_seconds, created_at, actor)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, p.groupKind(), p.groupValue(), p.toCa(), p.toProfile(), p.toAlgorithm(),
                p.graceSeconds(), p.createdAt(), p.actor());
        return id;
    }

    @Override
    public boolean remove(long id, Instant at, String actor) {
        boolean known = sql.one("SELECT 1 FROM migration_policies WHERE id = ?", rs -> 1, id).isPresent();
        if (!known || sql.one("SELECT 1 FROM migration_policy_removals WHERE policy_id = ?", rs -> 1, id).isPresent()) {
            return false;
        }
        // Two nodes removing the same policy at once: the second insert fails on the primary key, and its transaction with it.
        new JdbcConfigRepository(sql).markChanged();
        sql.update("INSERT INTO migration_policy_removals (policy_id, removed_at, actor) VALUES (?, ?, ?)", id, at, actor);
        return true;
    }

    @Override
    public List<MigrationPolicyRecord> all() {
        return sql.list("SELECT p.id, p.group_kind, p.group_value, p.to_ca, p.to_profile, p.to_algorithm, p.grace_seconds, p.created_at, p.actor,"
                + " r.removed_at, r.actor AS removed_by FROM migration_policies p LEFT JOIN migration_policy_removals r ON r.policy_id = p.id"
                + " ORDER BY p.id LIMIT ?", rs -> new MigrationPolicyRecord(rs.getLong("id"), rs.getString("group_kind"), rs.getString("group_value"),
                rs.getString("to_ca"), rs.getString("to_profile"), rs.getString("to_algorithm"), rs.getLong("grace_seconds"),
                Sql.instant(rs, "created_at"), rs.getString("actor"), Sql.instant(rs, "removed_at"), rs.getString("removed_by")), MAX);
    }

    @Override
    public MigrationProgress progress(MigrationScope source, MigrationScope target, Instant since, Instant now) {
        // Devices of the group: any certificate of theirs (current or not) in the source scope, or one of the target
        // issued since the policy began.
        List<Object> groupArgs = new ArrayList<>();
        String group = "SELECT g.device_id FROM certificates g WHERE " + where("g", source, groupArgs)
                + " UNION SELECT n.device_id FROM certificates n WHERE " + where("n", target, groupArgs) + " AND n.issued_at >= ?";
        groupArgs.add(since);
        List<Object> args = new ArrayList<>();
        String onTarget = where("t", target, args) + " AND " + current("t", args, now);
        args.addAll(groupArgs);
        long migrated = sql.one("SELECT COUNT(DISTINCT t.device_id) FROM certificates t WHERE " + onTarget + " AND t.device_id IN (" + group + ")",
                rs -> rs.getLong(1), args.toArray()).orElse(0L);
        List<Object> rest = new ArrayList<>();
        String inSource = where("s", source, rest) + " AND " + current("s", rest, now);
        List<Object> targetArgs = new ArrayList<>();
        String targetOfDevice = where("t", target, targetArgs) + " AND " + current("t", targetArgs, now);
        rest.addAll(targetArgs);
        long remaining = sql.one("SELECT COUNT(DISTINCT s.device_id) FROM certificates s WHERE " + inSource
                        + " AND NOT EXISTS (SELECT 1 FROM certificates t WHERE t.device_id = s.device_id AND " + targetOfDevice + ")",
                rs -> rs.getLong(1), rest.toArray()).orElse(0L);
        return new MigrationProgress(migrated, remaining);
    }

    /** Device certificates other than identities, narrowed by the scope's non-null fields. */
    private static String where(String alias, MigrationScope scope, List<Object> args) {
        StringBuilder w = new StringBuilder(alias + ".device_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM device_identities i WHERE "
                + JdbcIssuanceRepository.bindingOf("i", alias) + ")");
        if (scope.caName() != null) {
            w.append(" AND ").append(alias).append(".ca_name = ?");
            args.add(scope.caName());
        }
        if (scope.profile() != null) {
            w.append(" AND ").append(alias).append(".profile = ?");
            args.add(scope.profile());
        }
        if (scope.keyAlgorithm() != null) {
            w.append(" AND ").append(alias).append(".key_algorithm = ?");
            args.add(scope.keyAlgorithm());
        }
        if (scope.deviceIds() != null) {
            if (scope.deviceIds().isEmpty()) return "1 = 0";
            // Bounded by the policy (MigrationPolicies.MAX_DEVICES), below every IN-list limit.
            w.append(" AND ").append(alias).append(".device_id IN (").append(Sql.placeholders(scope.deviceIds().size())).append(")");
            args.addAll(scope.deviceIds());
        }
        return w.toString();
    }

    private static String current(String alias, List<Object> args, Instant now) {
        args.add(now);
        return alias + ".not_after >= ? AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.serial = " + alias + ".serial)";
    }
}
