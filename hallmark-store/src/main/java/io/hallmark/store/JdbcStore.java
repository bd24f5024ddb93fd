package io.hallmark.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.files.OwnerOnlyFile;
import io.hallmark.core.store.Store;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.slf4j.LoggerFactory;

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

    /** The pool's wait for a connection, in milliseconds ({@code -Dhallmark.db.connectionTimeoutMs} changes it). */
    public static final long CONNECTION_TIMEOUT_MS = 3_000;

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final String description;
    private final java.util.List<java.util.function.LongConsumer> configListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.function.LongConsumer auditHeadWait = nanos -> { };

    private JdbcStore(HikariDataSource dataSource, Dialect dialect, String description) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.description = description;
    }

    /**
     * Opens {@code dbUrl} if given, else the SQLite database in {@code dataDir}. The data directory and the
     * database hold the inventory, the audit log and token hashes: they are created owner-only (0700, 0600),
     * and an existing installation that others could read is narrowed to its owner, with a notice.
     */
    public static JdbcStore open(Path dataDir, String dbUrl) {
        boolean sqlite = dbUrl == null || dbUrl.isBlank();
        try {
            if (sqlite || Files.isDirectory(dataDir)) {
                OwnerOnlyFile.directory(dataDir).ifPresent(JdbcStore::notice);
            }
            if (sqlite) {
                // SQLite gives the -wal and -shm files it creates the database file's mode (os_unix.c:
                // findCreateFileMode, robust_open), so a database file created 0600 here keeps all three
                // owner-only, also when they are created again after the last connection closed and removed
                // them; ones an older installation (or a crash) left behind are narrowed.
                Path db = dataDir.resolve(SQLITE_FILE);
                OwnerOnlyFile.file(db).ifPresent(JdbcStore::notice);
                for (String companion : new String[]{"-wal", "-shm", "-journal"}) {
                    OwnerOnlyFile.narrow(db.resolveSibling(SQLITE_FILE + companion)).ifPresent(JdbcStore::notice);
                }
                dbUrl = "jdbc:sqlite:" + db.toAbsolutePath();
            }
        } catch (java.io.UncheckedIOException e) {
            throw HallmarkException.badInput("cannot set up data directory " + dataDir + " for its owner only: " + e.getCause().getMessage());
        }
        return open(dbUrl);
    }

    private static void notice(String text) {
        LoggerFactory.getLogger(JdbcStore.class).warn(text);
    }

    public static JdbcStore open(String jdbcUrl) {
        Dialect dialect;
        try {
            dialect = Dialect.of(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw HallmarkException.badInput(e.getMessage());
        }
        migrate(jdbcUrl, dialect);
        HikariConfig config = new HikariConfig();
        config.setPoolName("hallmark");
        config.setJdbcUrl(jdbcUrl);
        if (dialect == Dialect.SQLITE) {
            // WAL for concurrent readers; synchronous=FULL so a commit survives power loss, not just a crash.
            // Autocommit connections with explicit BEGIN: sqlite-jdbc would otherwise open a transaction on every
            // idle pooled connection (and an IMMEDIATE one holds the write lock while idle).
            config.setAutoCommit(true);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "FULL");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("busy_timeout", "30000");
            // 64 MiB of page cache per connection (SQLite's default is 2 MiB): factory chunks insert into
            // indexes on random keys (serials, device ids), and a cache that holds their inner pages saves
            // a read per insert once the tables pass a few hundred thousand rows.
            config.addDataSourceProperty("cache_size", "-65536");
            // Checkpoint the WAL every 64 MiB rather than every 4 MiB (1000 pages, SQLite's default): index pages
            // that consecutive factory chunks all touch are then copied into the database once per checkpoint
            // instead of once per chunk (measured: about a tenth less CPU per certificate at 300k devices).
            config.setConnectionInitSql("PRAGMA wal_autocheckpoint = " + Integer.getInteger("hallmark.sqlite.walPages", 16384));
            config.setMaximumPoolSize(4);
        } else {
            config.setAutoCommit(false);
            // Factory chunks insert in JDBC batches; rewritten into multi-row INSERTs they cost one round trip.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            config.setMaximumPoolSize(Integer.getInteger("hallmark.db.pool", 10));
        }
        config.setInitializationFailTimeout(10_000);
        // How long a request waits for a connection before it fails UNAVAILABLE (503 with Retry-After): HikariCP's
        // default of 30 s would hold every request thread for half a minute while the database is down or restarting,
        // and clients would time out first. A healthy pool hands a connection out in microseconds; a few seconds covers
        // a burst that takes every connection. Once the database answers again the pool makes new connections on its
        // own (a broken one is evicted as it fails, with SQLSTATE 08xxx or 57P0x), without restarting the node.
        config.setConnectionTimeout(Long.getLong("hallmark.db.connectionTimeoutMs", CONNECTION_TIMEOUT_MS));
        config.setValidationTimeout(Math.min(2_000, config.getConnectionTimeout() - 1));
        if (dialect == Dialect.POSTGRESQL) {
            // The driver's own connect timeout (seconds), below the pool's wait: an address that swallows packets (a host
            // that went away during a failover) must not hold the pool's connection maker past the request's wait.
            config.addDataSourceProperty("connectTimeout", "3");
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw openFailure(jdbcUrl, e);
        }
        JdbcStore store = new JdbcStore(ds, dialect, redact(jdbcUrl));
        try {
            KeyAlgorithmBackfill.run(store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * Brings the schema up to date before the pool opens, so no pooled connection competes with Flyway; a
     * schema newer than this build knows is refused before anything is migrated ({@link #refuseNewerSchema}).
     */
    private static void migrate(String jdbcUrl, Dialect dialect) {
        try {
            Flyway flyway = flyway(jdbcUrl, dialect);
            refuseNewerSchema(flyway.info().all());
            flyway.migrate();
        } catch (HallmarkException e) {
            throw e;
        } catch (RuntimeException e) {
            throw openFailure(jdbcUrl, e);
        }
    }

    private static Flyway flyway(String jdbcUrl, Dialect dialect) {
        return Flyway.configure()
                .dataSource(dialect == Dialect.SQLITE ? migrationSource(jdbcUrl) : new org.flywaydb.core.internal.jdbc.DriverDataSource(
                        JdbcStore.class.getClassLoader(), null, jdbcUrl, null, null))
                .locations("classpath:db/migration/common", "classpath:db/migration/" + dialect.flywayVendor)
                .placeholders(Map.of("bytes", dialect.bytesType))
                // Feature branches number their migrations apart; a gap filled later is applied, not refused.
                .outOfOrder(true)
                .load();
    }

    /**
     * Whether the database {@link #open(Path, String)} would open already holds a Hallmark schema (any migration
     * applied), found without creating or migrating anything: no SQLite file is created, no table in PostgreSQL.
     * {@code hallmark init} asks before it opens a database that a data directory's files do not belong to.
     */
    public static boolean holdsSchema(Path dataDir, String dbUrl) {
        String url = dbUrl;
        if (dbUrl == null || dbUrl.isBlank()) {
            Path db = dataDir.resolve(SQLITE_FILE);
            try {
                if (!Files.exists(db) || Files.size(db) == 0) return false;
            } catch (java.io.IOException e) {
                throw HallmarkException.badInput("cannot read " + db + ": " + e.getMessage());
            }
            url = "jdbc:sqlite:" + db.toAbsolutePath();
        }
        Dialect dialect;
        try {
            dialect = Dialect.of(url);
        } catch (IllegalArgumentException e) {
            throw HallmarkException.badInput(e.getMessage());
        }
        try {
            return flyway(url, dialect).info().applied().length > 0;
        } catch (RuntimeException e) {
            throw new HallmarkException(HallmarkException.Kind.BAD_INPUT, "cannot open database " + redact(url) + ": " + rootMessage(e), e);
        }
    }

    /**
     * A downgrade: the database was migrated by a newer Hallmark, whose tables, columns or triggers this build
     * does not know. Flyway would start anyway (it ignores applied migrations it cannot resolve, "future" ones),
     * and this build would then write rows the newer schema does not expect, or miss rules it enforces. So the
     * highest applied version is held to the highest this build ships, and a newer one is refused, naming both.
     */
    static void refuseNewerSchema(MigrationInfo[] migrations) {
        MigrationVersion known = null;
        MigrationVersion applied = null;
        for (MigrationInfo m : migrations) {
            if (!m.isVersioned() || m.getVersion() == null) continue;
            if (m.getState().isResolved() && (known == null || m.getVersion().compareTo(known) > 0)) known = m.getVersion();
            if (m.getState().isApplied() && !m.getState().isFailed() && (applied == null || m.getVersion().compareTo(applied) > 0)) applied = m.getVersion();
        }
        if (applied != null && known != null && applied.compareTo(known) > 0) {
            throw new HallmarkException(HallmarkException.Kind.INCOMPATIBLE, "database schema version " + applied + " is newer than this hallmark (knows up to "
                    + known + "): upgrade hallmark, or restore a backup");
        }
    }

    /**
     * A database that does not answer is UNAVAILABLE (exit 8: try again once it is up), not the caller's mistake; a
     * URL, credentials or schema the database refuses stay BAD_INPUT. SQLSTATE class 08 is SQL's "connection
     * exception" (PostgreSQL's driver says 08001 for a refused or unresolvable host); a socket failure beneath the
     * driver means the same.
     */
    static HallmarkException openFailure(String jdbcUrl, Throwable e) {
        boolean unreachable = false;
        for (Throwable t = e; t != null && !unreachable; t = t.getCause() == t ? null : t.getCause()) {
            unreachable = t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")
                    || t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException || t instanceof java.net.SocketTimeoutException;
        }
        String message = "cannot open database " + redact(jdbcUrl) + ": " + rootMessage(e);
        return unreachable ? HallmarkException.unavailable(message + " (the database is not reachable)", e)
                : new HallmarkException(HallmarkException.Kind.BAD_INPUT, message, e);
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
        // IMMEDIATE: SQLite takes the write lock up front, instead of failing when a read turns into a write.
        return transaction(work, "BEGIN IMMEDIATE");
    }

    /**
     * A read is idempotent, so one whose connection broke under it (a pooled connection the database closed as it
     * restarted, or a failover) is tried once more on a fresh one. A write never is: a commit whose answer was lost
     * may have committed, and issuing again would sign a second certificate; it fails UNAVAILABLE and the client
     * decides. The pool's own timeout is not retried either (it already waited {@link #CONNECTION_TIMEOUT_MS}).
     */
    @Override
    public <T> T read(TxFunction<T> work) {
        // DEFERRED: SQLite readers in WAL mode proceed while a writer holds the lock.
        try {
            return transaction(work, "BEGIN");
        } catch (HallmarkException e) {
            if (e.kind() != HallmarkException.Kind.UNAVAILABLE || !(e.getCause() instanceof SQLException cause)
                    || cause instanceof java.sql.SQLTransientConnectionException || StoreException.isFull(cause)) {
                throw e;
            }
            return transaction(work, "BEGIN");
        }
    }

    @Override
    public <T> T readOnce(TxFunction<T> work) {
        return transaction(work, "BEGIN"); // deferred, as read; no second try
    }

    /**
     * Whether this thread is inside one of this store's transactions. A transaction opened inside another on the same
     * thread asks the pool for a second connection while it holds the first: with as many such callers as the pool has
     * connections, each waits for one only the others could give back, until the pool's timeout. (A shared setting read
     * through its cache inside a read transaction did this on a cache miss: the console's overview, inventory listings.)
     * The tests run with assertions on and fail on it; a running server pays a thread-local set and remove per transaction.
     */
    private final ThreadLocal<Boolean> inside = new ThreadLocal<>();

    private <T> T transaction(TxFunction<T> work, String sqliteBegin) {
        assert inside.get() == null : "a store transaction opened inside another on the same thread: a second pooled connection while one is held";
        inside.set(Boolean.TRUE);
        try {
            return onConnection(work, sqliteBegin);
        } finally {
            inside.remove();
        }
    }

    private <T> T onConnection(TxFunction<T> work, String sqliteBegin) {
        try (Connection c = dataSource.getConnection()) {
            boolean sqlite = dialect == Dialect.SQLITE;
            if (sqlite) {
                exec(c, sqliteBegin);
            }
            Sql sql = new Sql(c, dialect);
            try {
                T result = work.apply(new JdbcTx(sql, auditHeadWait));
                if (sqlite) exec(c, "COMMIT");
                else c.commit();
                if (sql.configMovedTo() >= 0) {
                    configCommitted(sql.configMovedTo());
                }
                return result;
            } catch (RuntimeException | Error e) {
                try {
                    if (sqlite) exec(c, "ROLLBACK");
                    else c.rollback();
                } catch (SQLException rollback) {
                    // A connection that broke cannot roll back, and needs not: the database drops the transaction.
                    // What the caller must see is why the work failed, not the rollback's failure.
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.of(e, dialect, "transaction");
        }
    }

    /**
     * Tells {@code timer} how long each audit append waited for the audit chain's head row: on PostgreSQL the row lock
     * every writer of every node queues on (plus one round trip); on SQLite next to nothing, since the transaction took
     * the database's write lock when it began. For the metrics ({@code hallmark_audit_head_wait_seconds}).
     */
    public void timeAuditHeadWait(java.util.function.LongConsumer timer) {
        this.auditHeadWait = timer;
    }

    @Override
    public void addConfigListener(java.util.function.LongConsumer listener) {
        configListeners.add(listener);
    }

    private void configCommitted(long sequence) {
        for (var listener : configListeners) {
            try {
                listener.accept(sequence);
            } catch (RuntimeException e) {
                // A listener keeps a cache; the change is committed, and polling the sequence catches up with it.
                LoggerFactory.getLogger(JdbcStore.class).warn("configuration listener failed", e);
            }
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(sql);
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

    /** A database URL fit to print: a password in it shows as {@code ***}. */
    public static String redacted(String url) {
        return redact(url);
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
