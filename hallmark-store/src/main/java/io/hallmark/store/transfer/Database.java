package io.hallmark.store.transfer;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.store.JdbcStore;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * One end of a copy: an installation's SQLite file (its data directory's {@code hallmark.db}, or a
 * {@code jdbc:sqlite:FILE} URL) or a PostgreSQL database ({@code jdbc:postgresql://...}). Copies use plain
 * JDBC connections of their own, not the store's pool, because they need what the store never does: one
 * snapshot across every table, and a target written outside the services.
 *
 * @param url        the JDBC URL
 * @param sqliteFile the database file for SQLite, null for PostgreSQL
 */
public record Database(String url, Path sqliteFile) {

    private static final String SQLITE = "jdbc:sqlite:";
    private static final String POSTGRESQL = "jdbc:postgresql:";

    /** {@code DIR} (a data directory, whose {@code hallmark.db} is meant) or a JDBC URL, as the commands take it. */
    public static Database of(String dirOrUrl) {
        if (dirOrUrl == null || dirOrUrl.isBlank()) {
            throw HallmarkException.badInput("a data directory or a database URL is needed");
        }
        if (dirOrUrl.startsWith(SQLITE)) {
            String file = dirOrUrl.substring(SQLITE.length());
            if (file.isEmpty() || file.contains("?") || file.startsWith("file:") || file.startsWith(":")) {
                throw HallmarkException.badInput("give a SQLite database as jdbc:sqlite:/path/to/hallmark.db or as its data directory, not '" + dirOrUrl + "'");
            }
            Path path = Path.of(file).toAbsolutePath();
            return new Database(SQLITE + path, path);
        }
        if (dirOrUrl.startsWith(POSTGRESQL)) {
            return new Database(dirOrUrl, null);
        }
        if (dirOrUrl.startsWith("jdbc:")) {
            throw HallmarkException.badInput("unsupported database URL '" + redact(dirOrUrl) + "' (jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB)");
        }
        return inDirectory(Path.of(dirOrUrl));
    }

    /** An installation as every command finds it: {@code url} if given, else SQLite in {@code dataDir}. */
    public static Database installation(Path dataDir, String url) {
        return url == null || url.isBlank() ? inDirectory(dataDir) : of(url);
    }

    /** The SQLite database of a data directory. */
    public static Database inDirectory(Path dataDir) {
        Path file = dataDir.resolve(JdbcStore.SQLITE_FILE).toAbsolutePath();
        return new Database(SQLITE + file, file);
    }

    public boolean sqlite() {
        return sqliteFile != null;
    }

    /** For messages and reports: the file, or the URL without its password. */
    public String describe() {
        return sqlite() ? "sqlite:" + sqliteFile : redact(url).substring("jdbc:".length());
    }

    /** The JDBC URL without its password, for a command line to show (--db ...). */
    public String redactedUrl() {
        return redact(url);
    }

    /** True if both name the same database (the same file, or the same URL). */
    public boolean sameAs(Database other) {
        if (sqlite() && other.sqlite()) {
            try {
                if (Files.exists(sqliteFile) && Files.exists(other.sqliteFile)) {
                    return Files.isSameFile(sqliteFile, other.sqliteFile);
                }
            } catch (java.io.IOException e) {
                // fall through to comparing the paths
            }
            return sqliteFile.normalize().equals(other.sqliteFile.normalize());
        }
        return url.equals(other.url);
    }

    /**
     * A connection of its own. SQLite: a 30 s busy timeout (a serving node may hold the write lock briefly)
     * and foreign keys enforced, as the store's; PostgreSQL: batched inserts rewritten into multi-row ones.
     */
    Connection connect() throws SQLException {
        if (sqlite()) {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(30_000);
            config.enforceForeignKeys(true);
            return config.createConnection(url);
        }
        Properties properties = new Properties();
        properties.setProperty("reWriteBatchedInserts", "true");
        return DriverManager.getConnection(url, properties);
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
