package io.hallmark.store;

import io.hallmark.core.store.FactoryBatchRecord;
import io.hallmark.core.store.FactoryBatchRepository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** V12's factory_batches, factory_batch_chunks and factory_batch_ends. */
final class JdbcFactoryBatchRepository implements FactoryBatchRepository {

    /** Error texts longer than the column are cut: the end row must go in whatever failed. */
    private static final int MAX_ERROR = 1024;

    /** A batch's progress summed from its chunk rows (a million items in chunks of 1000: 1000 rows, by primary key). */
    private static final String SELECT = "SELECT b.id, b.ca, b.profile, b.station, b.actor, b.declared, b.started_at, "
            + "(SELECT COUNT(*) FROM factory_batch_chunks c WHERE c.batch_id = b.id) AS chunks, "
            + "(SELECT COALESCE(SUM(c.items), 0) FROM factory_batch_chunks c WHERE c.batch_id = b.id) AS done, "
            + "(SELECT COALESCE(SUM(c.issued), 0) FROM factory_batch_chunks c WHERE c.batch_id = b.id) AS issued, "
            + "(SELECT COALESCE(SUM(c.existing), 0) FROM factory_batch_chunks c WHERE c.batch_id = b.id) AS existing, "
            + "(SELECT COALESCE(SUM(c.failed), 0) FROM factory_batch_chunks c WHERE c.batch_id = b.id) AS refused, "
            + "(SELECT MAX(c.at) FROM factory_batch_chunks c WHERE c.batch_id = b.id) AS last_chunk, "
            + "e.at AS ended_at, e.state, e.error "
            + "FROM factory_batches b LEFT JOIN factory_batch_ends e ON e.batch_id = b.id";

    private final Sql sql;

    JdbcFactoryBatchRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void start(FactoryBatchRecord.Start s) {
        sql.update("INSERT INTO factory_batches (id, ca, profile, station, actor, declared, started_at) VALUES (?,?,?,?,?,?,?)",
                s.id(), s.ca(), s.profile(), s.station(), s.actor(), s.declared(), s.startedAt());
    }

    @Override
    public void chunk(String batchId, long chunk, Instant at, long items, long issued, long existing, long failed) {
        sql.update("INSERT INTO factory_batch_chunks (batch_id, chunk, at, items, issued, existing, failed) VALUES (?,?,?,?,?,?,?)",
                batchId, chunk, at, items, issued, existing, failed);
    }

    @Override
    public void end(String batchId, Instant at, boolean failed, String error) {
        String cut = error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
        sql.update("INSERT INTO factory_batch_ends (batch_id, at, state, error) VALUES (?,?,?,?)", batchId, at, failed ? "failed" : "done", cut);
    }

    @Override
    public Optional<FactoryBatchRecord> find(String id) {
        return sql.one(SELECT + " WHERE b.id = ?", JdbcFactoryBatchRepository::map, id);
    }

    @Override
    public List<FactoryBatchRecord> page(FactoryBatchRecord.Position before, int limit) {
        if (before == null) {
            return sql.list(SELECT + " ORDER BY b.started_at DESC, b.id DESC LIMIT ?", JdbcFactoryBatchRepository::map, limit);
        }
        return sql.list(SELECT + " WHERE b.started_at < ? OR (b.started_at = ? AND b.id < ?) ORDER BY b.started_at DESC, b.id DESC LIMIT ?",
                JdbcFactoryBatchRepository::map, before.startedAt(), before.startedAt(), before.id(), limit);
    }

    private static FactoryBatchRecord map(ResultSet rs) throws SQLException {
        long declared = rs.getLong("declared");
        Long d = rs.wasNull() ? null : declared;
        return new FactoryBatchRecord(rs.getString("id"), rs.getString("ca"), rs.getString("profile"), rs.getString("station"),
                rs.getString("actor"), d, Sql.instant(rs, "started_at"), rs.getLong("chunks"), rs.getLong("done"), rs.getLong("issued"),
                rs.getLong("existing"), rs.getLong("refused"), Sql.instant(rs, "last_chunk"), Sql.instant(rs, "ended_at"),
                "failed".equals(rs.getString("state")), rs.getString("error"));
    }
}
