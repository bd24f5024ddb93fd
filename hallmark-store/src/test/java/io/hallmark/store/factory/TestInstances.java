package io.hallmark.store.factory;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.store.JdbcStore;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;

/** Real stores for tests: SQLite in a directory, or a fresh schema in the PostgreSQL named by the environment. */
final class TestInstances {

    private TestInstances() {
    }

    static Hallmark sqlite(Path dir) {
        return open(dir, null);
    }

    /** A Hallmark in a new schema of the test PostgreSQL; the returned URL's schema is dropped by {@link #drop}. */
    static String postgresSchemaUrl() throws Exception {
        String url = io.hallmark.testing.Peers.postgresUrl(); // fails in CI, aborts visibly elsewhere
        String schema = "hallmark_test_" + Long.toString(System.nanoTime(), 36);
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    static void drop(String schemaUrl) throws Exception {
        String base = schemaUrl.substring(0, schemaUrl.lastIndexOf("currentSchema=") - 1);
        String schema = schemaUrl.substring(schemaUrl.lastIndexOf('=') + 1);
        try (Connection c = DriverManager.getConnection(base)) {
            c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    static Hallmark open(Path dir, String url) {
        Hallmark h = new Hallmark(JdbcStore.open(dir, url),
                new KeyVaults(new SoftwareKeyVault(dir.resolve("keys"), Passphrase.resolve(dir, true))), Clock.systemUTC());
        h.init(HierarchySpec.defaults(), "test");
        return h;
    }
}
