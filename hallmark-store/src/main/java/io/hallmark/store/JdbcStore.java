package io.hallmark.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hallmark.core.HallmarkException;
import io.hallmark.core.store.Store;
import org.flywaydb.core.Flyway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The JDBC store: SQLite in the data directory by default, PostgreSQL for several server nodes.
 * Opening it brings the schema up to date with Flyway's versioned migrations.
 */
public final class JdbcStore implements Store {

    public static final String SQLITE_FILE = "hallmark.db";

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final String description;

    private JdbcStore(HikariDataSource dataSource, Dialect dialect, String description) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.description = description;
    }

    /** Opens {@code dbUrl} if given, else the SQLite database in {@code dataDir}. */
    public static JdbcStore open(Path dataDir, String dbUrl) {
        if (dbUrl == null || dbUrl.isBlank()) {
            try {
                Files.createDirectories(dataDir);
            } catch (java.io.IOException e) {
                throw HallmarkException.badInput("cannot create data directory " + dataDir + ": " + e.getMessage());
            }
            dbUrl = "jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE).toAbsolutePath();
        }
        return open(dbUrl);
    }

    public static JdbcStore open(String jdbcUrl) {
        Dialect dialect;
        try {
            dialect = Dialect.of(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw HallmarkException.badInput(e.getMessage());
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("hallmark");
        // SQLite: the xerial driver begins the next transaction eagerly whenever auto-commit is off, so
        // an idle pooled connection would sit on the write lock (it blocked even Flyway's migration).
        // SQLite connections stay in auto-commit mode and inTransaction() issues BEGIN IMMEDIATE itself.
        config.setAutoCommit(dialect == Dialect.SQLITE);
        if (dialect == Dialect.SQLITE) {
            // WAL for concurrent readers; synchronous=FULL so a commit survives power loss, not just a crash;
            // IMMEDIATE transactions (see inTransaction) take the write lock up front instead of failing on upgrade.
            config.setJdbcUrl(jdbcUrl);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "FULL");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("busy_timeout", "30000");
            config.setMaximumPoolSize(4);
        } else {
            config.setJdbcUrl(jdbcUrl);
            // Factory chunks insert in JDBC batches; rewritten into multi-row INSERTs they cost one round trip.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            config.setMaximumPoolSize(Integer.getInteger("hallmark.db.pool", 10));
        }
        config.setInitializationFailTimeout(10_000);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw HallmarkException.badInput("cannot open database " + redact(jdbcUrl) + ": " + rootMessage(e));
        }
        try {
            Flyway.configure()
                    .dataSource(dialect == Dialect.SQLITE ? migrationSource(jdbcUrl) : ds)
                    .locations("classpath:db/migration/common", "classpath:db/migration/" + dialect.flywayVendor)
                    .placeholders(Map.of("bytes", dialect.bytesType))
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot migrate database " + redact(jdbcUrl) + ": " + rootMessage(e), e);
        }
        return new JdbcStore(ds, dialect, redact(jdbcUrl));
    }

    /**
     * Flyway holds one connection for its lock while migrating on another; with the pool's IMMEDIATE
     * transactions the second would wait on the first forever. Migrations get plain deferred ones.
     */
    private static javax.sql.DataSource migrationSource(String jdbcUrl) {
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setBusyTimeout(30_000);
        config.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
        org.sqlite.SQLiteDataSource source = new org.sqlite.SQLiteDataSource(config);
        source.setUrl(jdbcUrl);
        return source;
    }

    @Override
    public <T> T inTransaction(TxFunction<T> work) {
        return transaction(work, "BEGIN IMMEDIATE");
    }

    @Override
    public <T> T read(TxFunction<T> work) {
        // Deferred: with WAL a reader sees the last commit and neither waits for nor blocks the writer.
        return transaction(work, "BEGIN DEFERRED");
    }

    private <T> T transaction(TxFunction<T> work, String sqliteBegin) {
        try (Connection c = dataSource.getConnection()) {
            boolean sqlite = dialect == Dialect.SQLITE;
            if (sqlite) {
                execute(c, sqliteBegin);
            }
            try {
                T result = work.apply(new JdbcTx(new Sql(c, dialect)));
                if (sqlite) execute(c, "COMMIT");
                else c.commit();
                return result;
            } catch (RuntimeException | Error e) {
                if (sqlite) execute(c, "ROLLBACK");
                else c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.of(e, dialect, "transaction");
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (var statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
