package io.hallmark.store.factory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.nio.file.Path;

class PostgresFactoryEngineTest extends FactoryEngineContract {

    private String url;
    private String skipped;

    @BeforeAll
    void open(@TempDir Path dir) throws Exception {
        try {
            url = TestInstances.postgresSchemaUrl();
        } catch (TestAbortedException e) {
            skipped = e.getMessage(); // reported on every test below, so the skip shows in the counts
            return;
        }
        hallmark = TestInstances.open(dir, url);
    }

    @BeforeEach
    void requirePostgres() {
        if (skipped != null) Assumptions.abort(skipped);
    }

    @AfterAll
    void dropSchema() throws Exception {
        if (hallmark != null) hallmark.close();
        hallmark = null;
        if (url != null) TestInstances.drop(url);
    }
}
