package io.hallmark.store.inventory;

import io.hallmark.core.store.Store;
import io.hallmark.store.JdbcStore;
import io.hallmark.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class PostgresMigrationPolicyTest extends MigrationPolicyContract {

    private TestPostgres db;

    @BeforeEach
    void schema() {
        db = TestPostgres.create();
    }

    @AfterEach
    void drop() {
        if (db != null) db.close(); // null when no PostgreSQL is configured and the test was aborted
    }

    @Override
    Store newStore() {
        return JdbcStore.open(db.url());
    }

    @Override
    String jdbcUrl() {
        return db.url();
    }
}
