package io.hallmark.store;

import io.hallmark.core.store.Event;
import io.hallmark.core.store.EventRepository;
import io.hallmark.core.store.EventType;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

final class JdbcEventRepository implements EventRepository {

    private final Sql sql;

    JdbcEventRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void append(List<Event> events) {
        List<Object[]> rows = new ArrayList<>(events.size());
        for (Event e : events) {
            rows.add(new Object[]{e.at(), e.type().id(), e.device(), e.subject(), e.result(), e.detail(), e.count()});
        }
        sql.batch("INSERT INTO events (at, type, device_id, subject, result, detail, count) VALUES (?,?,?,?,?,?,?)", rows);
        java.util.Map<String, Instant> seen = new java.util.TreeMap<>(); // by device id: rows locked in one order
        for (Event e : events) {
            if (e.device() != null && e.type().movesLastSeen()) seen.merge(e.device(), e.at(), (a, b) -> a.isAfter(b) ? a : b);
        }
        List<Object[]> moves = new ArrayList<>(seen.size());
        seen.forEach((device, at) -> moves.add(new Object[]{at, device}));
        if (!moves.isEmpty()) sql.batch(upsert("SELECT id, ? FROM devices WHERE id = ?"), moves);
    }

    @Override
    public void seenBySerial(java.util.Collection<String> serials, Instant at) {
        // Sorted, so that two nodes flushing at once lock the same rows in the same order.
        List<Object[]> rows = new ArrayList<>(serials.size());
        new java.util.TreeSet<>(serials).forEach(serial -> rows.add(new Object[]{at, serial}));
        if (!rows.isEmpty()) {
            sql.batch(upsert("SELECT c.device_id, ? FROM certificates c JOIN devices d ON d.id = c.device_id WHERE c.serial = ?"), rows);
        }
    }

    /**
     * Moves a registered device's last seen forward (never back): an insert of what {@code select} finds (device id,
     * time), or the later of the two times when the device has a row. Nothing for an unregistered device.
     */
    private String upsert(String select) {
        String later = sql.dialect() == Dialect.SQLITE ? "MAX" : "GREATEST";
        // "WHERE" in the SELECT keeps SQLite from reading ON CONFLICT as a join's ON.
        return "INSERT INTO device_last_seen (device_id, last_seen) " + select
                + " ON CONFLICT (device_id) DO UPDATE SET last_seen = " + later + "(device_last_seen.last_seen, excluded.last_seen)";
    }

    @Override
    public void scan(String device, EventType type, Instant since, int limit, Consumer<Event> consumer) {
        StringBuilder q = new StringBuilder("SELECT * FROM events WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (device != null) {
            q.append(" AND device_id = ?");
            args.add(device);
        }
        if (type != null) {
            q.append(" AND type = ?");
            args.add(type.id());
        }
        if (since != null) {
            q.append(" AND at >= ?");
            args.add(since);
        }
        q.append(" ORDER BY at DESC, id DESC LIMIT ?");
        args.add(limit);
        sql.each(q.toString(), JdbcEventRepository::map, consumer, args.toArray());
    }

    @Override
    public Optional<Instant> lastSeen(String device) {
        return sql.one("SELECT last_seen FROM device_last_seen WHERE device_id = ?", rs -> Sql.instant(rs, "last_seen"), device);
    }

    @Override
    public long purgeBefore(Instant before) {
        sql.update("UPDATE events_watermark SET purge_before = ? WHERE id = 1 AND purge_before < ?", before, before);
        sql.update("DELETE FROM device_last_seen WHERE last_seen < ?", before); // retention covers last seen too
        return sql.update("DELETE FROM events WHERE at < ?", before);
    }

    private static Event map(ResultSet rs) throws SQLException {
        return new Event(Sql.instant(rs, "at"), EventType.parse(rs.getString("type")), rs.getString("device_id"),
                rs.getString("subject"), rs.getString("result"), rs.getString("detail"), rs.getLong("count"));
    }
}
