package io.hallmark.store;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.DeviceRecord;
import io.hallmark.core.store.HardwareModuleClaim;
import io.hallmark.core.store.DeviceRepository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    @Override
    public Set<String> blocked(Collection<String> deviceIds) {
        Set<String> blocked = new HashSet<>();
        for (List<String> part : Sql.parts(deviceIds)) {
            sql.each("SELECT device_id FROM device_blocks WHERE device_id IN (" + Sql.placeholders(part.size()) + ")",
                    rs -> rs.getString(1), blocked::add, part.toArray());
        }
        return blocked;
    }

    @Override
    public List<HardwareModuleClaim> hardwareModuleClaims(String caName, Collection<HardwareModuleClaim> modules) {
        List<HardwareModuleClaim> found = new ArrayList<>();
        // Half the parameters of a part each: two per module.
        for (List<HardwareModuleClaim> part : Sql.parts(modules)) {
            Object[] args = new Object[1 + 2 * part.size()];
            args[0] = caName;
            for (int i = 0; i < part.size(); i++) {
                args[1 + 2 * i] = part.get(i).hwType();
                args[2 + 2 * i] = part.get(i).hwSerial();
            }
            sql.each("SELECT * FROM hardware_modules WHERE ca_name = ? AND (hw_type, hw_serial) IN ("
                            + String.join(",", java.util.Collections.nCopies(part.size(), "(?,?)")) + ")",
                    rs -> new HardwareModuleClaim(rs.getString("ca_name"), rs.getString("hw_type"), rs.getString("hw_serial"), rs.getString("device_id")),
                    found::add, args);
        }
        return found;
    }

    @Override
    public void claimHardwareModules(Collection<HardwareModuleClaim> claims) {
        List<Object[]> rows = claims.stream().map(c -> new Object[]{c.caName(), c.hwType(), c.hwSerial(), c.deviceId()}).toList();
        try {
            sql.batch("INSERT INTO hardware_modules (ca_name, hw_type, hw_serial, device_id) VALUES (?,?,?,?)", rows);
        } catch (HallmarkException e) {
            if (e.kind() == HallmarkException.Kind.CONFLICT) {
                throw HallmarkException.conflict("a hardwareModuleName was claimed concurrently by another device: " + e.getMessage());
            }
            throw e;
        }
    }

    private static DeviceRecord map(ResultSet rs) throws SQLException {
        return new DeviceRecord(rs.getString("id"), Sql.instant(rs, "created_at"), rs.getString("hw_type"), rs.getString("hw_serial"));
    }
}
