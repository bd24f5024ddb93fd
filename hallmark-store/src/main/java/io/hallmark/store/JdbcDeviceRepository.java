package io.hallmark.store;

import io.hallmark.core.HallmarkException;
import io.hallmark.core.store.DeviceRecord;
import io.hallmark.core.store.DeviceRepository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcDeviceRepository implements DeviceRepository {

    private final Sql sql;

    JdbcDeviceRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void ensure(DeviceRecord d) {
        // Portable "insert if absent": both SQLite and PostgreSQL accept ON CONFLICT DO NOTHING.
        sql.update("INSERT INTO devices (id, created_at, hw_type, hw_serial) VALUES (?,?,?,?) ON CONFLICT (id) DO NOTHING",
                d.id(), d.createdAt(), d.hwType(), d.hwSerial());
    }

    @Override
    public Optional<DeviceRecord> find(String id) {
        return sql.one("SELECT * FROM devices WHERE id = ?", JdbcDeviceRepository::map, id);
    }

    @Override
    public List<DeviceRecord> all(int limit) {
        return sql.list("SELECT * FROM devices ORDER BY created_at DESC, id LIMIT ?", JdbcDeviceRepository::map, limit);
    }

    @Override
    public void bindIdentity(String deviceId, String profile, String serial) {
        try {
            sql.update("INSERT INTO device_identities (device_id, profile, serial) VALUES (?,?,?)", deviceId, profile, serial);
        } catch (HallmarkException e) {
            if (e.kind() == HallmarkException.Kind.CONFLICT) {
                throw HallmarkException.conflict("device " + deviceId + " already has an " + profile + " certificate");
            }
            throw e;
        }
    }

    @Override
    public Optional<String> identity(String deviceId, String profile) {
        return sql.one("SELECT serial FROM device_identities WHERE device_id = ? AND profile = ?", rs -> rs.getString(1), deviceId, profile);
    }

    @Override
    public void block(String deviceId, String reason, String serial, String actor, java.time.Instant at) {
        sql.update("INSERT INTO device_blocks (device_id, blocked_at, reason, serial, actor) VALUES (?,?,?,?,?) ON CONFLICT (device_id) DO NOTHING",
                deviceId, at, reason, serial, actor);
    }

    @Override
    public boolean isBlocked(String deviceId) {
        return sql.one("SELECT 1 FROM device_blocks WHERE device_id = ?", rs -> rs.getInt(1), deviceId).isPresent();
    }

    private static DeviceRecord map(ResultSet rs) throws SQLException {
        return new DeviceRecord(rs.getString("id"), Sql.instant(rs, "created_at"), rs.getString("hw_type"), rs.getString("hw_serial"));
    }
}
