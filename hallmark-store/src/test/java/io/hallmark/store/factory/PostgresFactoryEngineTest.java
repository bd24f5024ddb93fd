package io.hallmark.store.factory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class PostgresFactoryEngineTest extends FactoryEngineContract {

    private String url;

    @BeforeAll
    void open(@TempDir Path dir) throws Exception {
        url = TestInstances.postgresSchemaUrl();
        hallmark = TestInstances.open(dir, url);
    }

    @AfterAll
    void dropSchema() throws Exception {
        if (hallmark != null) hallmark.close();
        hallmark = null;
        if (url != null) TestInstances.drop(url);
    }
}
