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
        // Newest first on the (device_id, at) index: one index probe, however many events the device has.
        return sql.one("SELECT at FROM events WHERE device_id = ? ORDER BY at DESC LIMIT 1", rs -> Sql.instant(rs, "at"), device);
    }

    @Override
    public long purgeBefore(Instant before) {
        sql.update("UPDATE events_watermark SET purge_before = ? WHERE id = 1 AND purge_before < ?", before, before);
        return sql.update("DELETE FROM events WHERE at < ?", before);
    }

    private static Event map(ResultSet rs) throws SQLException {
        return new Event(Sql.instant(rs, "at"), EventType.parse(rs.getString("type")), rs.getString("device_id"),
                rs.getString("subject"), rs.getString("result"), rs.getString("detail"), rs.getLong("count"));
    }
}
