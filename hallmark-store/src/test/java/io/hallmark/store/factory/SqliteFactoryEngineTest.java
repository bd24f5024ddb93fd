package io.hallmark.store.factory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteFactoryEngineTest extends FactoryEngineContract {

    @BeforeAll
    void open(@TempDir Path dir) {
        hallmark = TestInstances.sqlite(dir);
    }
}
