package io.hallmark.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqliteOperationsApiTest extends OperationsApiContract {

    ServerFixture f;
    ApiClient api;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        f = ServerFixture.start(dir);
        api = new ApiClient(f);
    }

    @AfterAll
    void stop() throws Exception {
        if (f != null) f.close();
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
