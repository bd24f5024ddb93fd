package io.hallmark.store;

import io.hallmark.core.audit.AuditChain;
import io.hallmark.core.audit.AuditEntry;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.audit.AuditHead;
import io.hallmark.core.store.AuditLog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

final class JdbcAuditLog implements AuditLog {

    private final Sql sql;
    private final java.util.function.LongConsumer headWait;

    /** @param headWait told the nanoseconds each append spent taking the head row (its lock wait and one round trip) */
    JdbcAuditLog(Sql sql, java.util.function.LongConsumer headWait) {
        this.sql = sql;
        this.headWait = headWait;
    }

    @Override
    public AuditEntry append(String actor, AuditEvent event, Instant at) {
        // Updating the head row first takes its lock (row lock on PostgreSQL, the write lock on SQLite),
        // so concurrent appends from any number of nodes queue here and the chain stays linear.
        long asked = System.nanoTime();
        sql.update("UPDATE audit_head SET seq = seq + 1 WHERE id = 1");
        headWait.accept(System.nanoTime() - asked); // what the single head row costs the nodes: docs/benchmarks.md
        AuditHead head = head().orElseThrow(); // its seq already moved on: the new entry's number, its hash the previous entry's
        AuditEntry e = AuditChain.next(head.seq(), head.hash(), actor, event, at);
        sql.update("INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
                e.seq(), e.at(), e.actor(), e.action(), e.subject(), e.details(), e.prevHash(), e.hash());
        sql.update("UPDATE audit_head SET hash = ? WHERE id = 1", e.hash());
        return e;
    }

    @Override
    public Optional<AuditHead> head() {
        return sql.one("SELECT seq, hash FROM audit_head WHERE id = 1", rs -> new AuditHead(rs.getLong(1), rs.getString(2)));
    }

    @Override
    public void scan(Consumer<AuditEntry> consumer) {
        sql.each("SELECT * FROM audit_log ORDER BY seq", JdbcAuditLog::map, consumer);
    }

    @Override
    public void scanAfter(long seq, Consumer<AuditEntry> consumer) {
        sql.each("SELECT * FROM audit_log WHERE seq > ? ORDER BY seq", JdbcAuditLog::map, consumer, seq);
    }

    @Override
    public Optional<AuditEntry> latest(String action) {
        return sql.one("SELECT * FROM audit_log WHERE action = ? ORDER BY seq DESC LIMIT 1", JdbcAuditLog::map, action);
    }

    static AuditEntry map(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("seq"), Sql.instant(rs, "at"), rs.getString("actor"), rs.getString("action"),
                rs.getString("subject"), rs.getString("details"), rs.getString("prev_hash"), rs.getString("hash"));
    }
}
