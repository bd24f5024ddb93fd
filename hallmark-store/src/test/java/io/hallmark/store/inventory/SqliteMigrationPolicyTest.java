package io.hallmark.store.inventory;

import io.hallmark.core.store.Store;
import io.hallmark.store.JdbcStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteMigrationPolicyTest extends MigrationPolicyContract {

    @TempDir
    Path dir;

    @Override
    Store newStore() {
        return JdbcStore.open(dir, null);
    }

    @Override
    String jdbcUrl() {
        return "jdbc:sqlite:" + dir.resolve(JdbcStore.SQLITE_FILE);
    }
}
