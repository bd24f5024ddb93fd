package io.hallmark.server;

import io.hallmark.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The same routes on PostgreSQL (skipped, with the reason, where no test database is configured). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresOperationsApiTest extends OperationsApiContract {

    TestPostgres db;
    ServerFixture f;
    ApiClient api;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        db = TestPostgres.create();
        f = ServerFixture.node(dir.resolve("node"), db.url(), dir.resolve("keys"));
        api = new ApiClient(f);
    }

    @AfterAll
    void stop() throws Exception {
        if (f != null) f.close();
        if (db != null) db.close();
    }

    @Override
    ServerFixture fixture() {
        return f;
    }

    @Override
    ApiClient api() {
        return api;
    }
}
