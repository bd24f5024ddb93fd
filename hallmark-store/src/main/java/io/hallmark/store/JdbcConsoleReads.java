package io.hallmark.store;

import io.hallmark.core.audit.AuditEntry;

import java.util.List;

/**
 * Bounded reads the web console's pages make and the repository ports do not carry: the latest audit entries (by
 * the primary key, backwards) and a device search by id prefix.
 */
public final class JdbcConsoleReads {

    private final JdbcStore store;

    public JdbcConsoleReads(JdbcStore store) {
        this.store = store;
    }

    /** The latest {@code limit} audit entries, newest first. */
    public List<AuditEntry> recentAudit(int limit) {
        return store.read(tx -> ((JdbcTx) tx).sql().list("SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?", JdbcAuditLog::map, limit));
    }

    /** Ids of devices whose id starts with {@code prefix} (as given, LIKE wildcards escaped), in id order, at most {@code limit}. */
    public List<String> devicesStartingWith(String prefix, int limit) {
        String pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return store.read(tx -> ((JdbcTx) tx).sql().list("SELECT id FROM devices WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
                rs -> rs.getString("id"), pattern, limit));
    }
}
