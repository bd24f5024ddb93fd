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
    }
}
