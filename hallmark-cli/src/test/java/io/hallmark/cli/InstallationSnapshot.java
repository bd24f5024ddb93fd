package io.hallmark.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What an installation holds, to compare before and after a command that must change nothing: the SHA-256 and
 * mode of every file under the data directory, and of the database every table's row count with the audit and
 * configuration heads (an empty map: no table at all).
 */
record InstallationSnapshot(Map<String, String> files, Map<String, String> database) {

    /** @param jdbcUrl the database, or null for the data directory's SQLite file (read only if it exists) */
    static InstallationSnapshot of(Path dataDir, String jdbcUrl) {
        Map<String, String> files = files(dataDir); // first: reading SQLite below opens (and removes again) its -wal and -shm
        String url = jdbcUrl != null ? jdbcUrl : Files.exists(dataDir.resolve("hallmark.db")) ? "jdbc:sqlite:" + dataDir.resolve("hallmark.db") : null;
        return new InstallationSnapshot(files, url == null ? Map.of() : database(url));
    }

    static Map<String, String> files(Path dir) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) return out;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted().toList()) {
                String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                out.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir " + mode
                        : mode + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static Map<String, String> database(String url) {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url)) {
            boolean sqlite = url.startsWith("jdbc:sqlite:");
            String tables = sqlite ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                    : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";
            try (ResultSet rs = c.createStatement().executeQuery(tables)) {
                while (rs.next()) out.put(rs.getString(1), null);
            }
            for (String table : out.keySet()) {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    out.put(table, rs.getLong(1) + " rows");
                }
            }
            if (out.containsKey("audit_head")) out.put("audit_head", out.get("audit_head") + " " + row(c, "SELECT seq, hash FROM audit_head"));
            if (out.containsKey("config_head")) out.put("config_head", out.get("config_head") + " " + row(c, "SELECT * FROM config_head"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + url + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static String row(Connection c, String sql) throws SQLException {
        StringBuilder s = new StringBuilder();
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) s.append(rs.getString(i)).append(' ');
            }
        }
        return s.toString().strip();
    }
}
