package io.hallmark.store;

import io.hallmark.core.store.ConfigRepository;

import java.util.Optional;

final class JdbcConfigRepository implements ConfigRepository {

    private final Sql sql;

    JdbcConfigRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<String> get(String key) {
        return sql.one("SELECT value FROM config WHERE name = ?", rs -> rs.getString(1), key);
    }

    @Override
    public void put(String key, String json) {
        sql.update("INSERT INTO config (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", key, json);
        markChanged();
    }

    @Override
    public void remove(String key) {
        if (sql.update("DELETE FROM config WHERE name = ?", key) > 0) {
            markChanged();
        }
    }

    /**
     * The one place the sequence moves; the repositories of the other shared tables (cas, stations) call it. The
     * UPDATE takes the head row's lock until commit, as revocation_head does, so numbers follow commit order;
     * the store tells this process's listeners after the commit ({@link Sql#configMoved}).
     */
    @Override
    public void markChanged() {
        sql.update("UPDATE config_head SET seq = seq + 1 WHERE id = 1");
        sql.configMoved(sequence());
    }

    @Override
    public long sequence() {
        return sql.one("SELECT seq FROM config_head WHERE id = 1", rs -> rs.getLong(1)).orElse(0L);
    }
}
