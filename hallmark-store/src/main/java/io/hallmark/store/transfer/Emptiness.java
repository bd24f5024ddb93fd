package io.hallmark.store.transfer;

import io.hallmark.core.audit.AuditChain;
import io.hallmark.core.error.HallmarkException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a database holds an installation. A freshly migrated one is not quite without rows: the migrations
 * seed the three sequence heads (V1 audit_head, V3 revocation_head, V7 config_head) at zero and the events retention
 * watermark (V9) at 0, and a copy replaces those rows (the watermark: updates it). Anything else, a single row anywhere, makes the database someone's installation,
 * which a copy must never write into.
 */
final class Emptiness {

    /** The rows the migrations seed, as a condition each seeded row meets until the first change. */
    static final Map<String, String> SEEDED = Map.of(
            "audit_head", "seq = 0 AND hash = '" + AuditChain.GENESIS + "'",
            "revocation_head", "seq = 0",
            "config_head", "seq = 0",
            "events_watermark", "purge_before = 0");

    /** The sequence heads among them: what moves whenever anything is recorded. */
    static final java.util.Set<String> HEADS = java.util.Set.of("audit_head", "revocation_head", "config_head");

    /**
     * Seeded rows a trigger keeps (V9: the events retention watermark may only move forward, never be deleted): a copy
     * updates them to the source's values instead of replacing them.
     */
    static final java.util.Set<String> KEPT = java.util.Set.of("events_watermark");

    private Emptiness() {
    }

    /** The first table that holds anything beyond the seeded rows, if any. */
    static Optional<String> firstNonEmpty(Connection c, Schema schema) throws SQLException {
        // Tables of records first: "table cas has rows" says more than a moved head.
        List<Table> tables = schema.tables().stream().sorted(Comparator.comparing(t -> SEEDED.containsKey(t.name()))).toList();
        for (Table t : tables) {
            String seeded = SEEDED.get(t.name());
            String sql = "SELECT 1 FROM " + Table.quote(t.name()) + (seeded == null ? "" : " WHERE NOT (" + seeded + ")") + " LIMIT 1";
            try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
                if (rs.next()) {
                    return Optional.of(t.name());
                }
            }
        }
        return Optional.empty();
    }

    static void require(Connection c, Schema schema, Database db) throws SQLException {
        Optional<String> table = firstNonEmpty(c, schema);
        if (table.isPresent()) {
            throw HallmarkException.conflict("target " + db.describe() + " is not empty (table " + table.get()
                    + " has rows): copies go only into an empty database; nothing was written");
        }
    }
}
