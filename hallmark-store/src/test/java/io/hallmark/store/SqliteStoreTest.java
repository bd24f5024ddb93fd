package io.hallmark.store;

import io.hallmark.core.store.Store;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteStoreTest extends StoreContract {

    @TempDir
    Path dir;

    @Override
    Store newStore() {
        return JdbcStore.open(dir, null);
    }

    @Override
    Store reopen() {
        return JdbcStore.open(dir, null);
    }

    @Override
    String dropAuditDeleteTrigger() {
        return "DROP TRIGGER audit_log_append_only_d";
    }

    @Override
    String jdbcUrl() {
        return "jdbc:sqlite:" + dir.resolve(JdbcStore.SQLITE_FILE);
    }
}
