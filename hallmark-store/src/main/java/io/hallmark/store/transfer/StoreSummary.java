package io.hallmark.store.transfer;

import io.hallmark.core.error.HallmarkException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a backup's manifest records of its database and a restore checks again: the schema version, the rows of
 * every table and the audit chain's head, read in one transaction.
 *
 * @param schemaVersion the highest migration applied
 * @param rows          rows per table, in copy order
 * @param auditSeq      the audit head's entry number
 * @param auditHash     the audit head's hash: what {@code hallmark audit verify} prints
 * @param caKeys        the key references of every CA ({@code soft:NAME} for the software vault's files)
 */
public record StoreSummary(String schemaVersion, Map<String, Long> rows, long auditSeq, String auditHash, java.util.List<String> caKeys) {

    public static StoreSummary of(Database db) {
        StoreCopy.requireInstallation(db);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try {
                Schema schema = Schema.read(c);
                Map<String, Long> rows = new LinkedHashMap<>();
                for (Table t : schema.tables()) {
                    rows.put(t.name(), StoreCopy.count(c, t.name()));
                }
                long seq = 0;
                String hash = null;
                try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT seq, hash FROM audit_head WHERE id = 1")) {
                    if (rs.next()) {
                        seq = rs.getLong(1);
                        hash = rs.getString(2);
                    }
                }
                java.util.List<String> keys = new java.util.ArrayList<>();
                try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT key_ref FROM cas ORDER BY name")) {
                    while (rs.next()) keys.add(rs.getString(1));
                }
                return new StoreSummary(schema.version(), rows, seq, hash, java.util.List.copyOf(keys));
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw HallmarkException.badInput("cannot read " + db.describe() + ": " + StoreCopy.firstLine(e));
        }
    }
}
