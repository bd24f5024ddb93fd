package io.hallmark.store.transfer;

import io.hallmark.core.error.HallmarkException;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Hallmark's tables as a database holds them, read from its own metadata rather than listed here, so a table
 * a later migration adds is copied (and verified) without a change to the copier. Ordered so that every
 * table comes after the tables its foreign keys reference.
 *
 * @param version the schema version Flyway recorded (the highest applied migration), e.g. "7"
 * @param tables  every table but Flyway's own history, parents first
 */
record Schema(String version, List<Table> tables) {

    /** Flyway's bookkeeping: each database has its own, written when its schema was migrated. */
    static final String HISTORY = "flyway_schema_history";

    static Schema read(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        String schema = c.getSchema(); // PostgreSQL: the current schema (currentSchema=...); SQLite: null
        Map<String, Table> byName = new TreeMap<>();
        List<String> names = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, schema, "%", new String[]{"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                String lower = name.toLowerCase(Locale.ROOT);
                // The arguments are LIKE patterns, where '_' matches any character: keep exact matches only.
                if (inSchema(rs, schema) && !lower.equals(HISTORY) && !lower.startsWith("sqlite_")) {
                    names.add(name);
                }
            }
        }
        for (String name : names) {
            List<Table.Column> columns = new ArrayList<>();
            try (ResultSet rs = meta.getColumns(null, schema, name, "%")) {
                Map<Integer, Table.Column> ordered = new TreeMap<>();
                while (rs.next()) {
                    if (!inSchema(rs, schema) || !name.equals(rs.getString("TABLE_NAME"))) continue;
                    String column = rs.getString("COLUMN_NAME");
                    ordered.put(rs.getInt("ORDINAL_POSITION"), new Table.Column(column, ColumnKind.of(name, column, rs.getString("TYPE_NAME"))));
                }
                columns.addAll(ordered.values());
            }
            Map<Short, String> key = new TreeMap<>();
            try (ResultSet rs = meta.getPrimaryKeys(null, schema, name)) {
                while (rs.next()) {
                    key.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
            Set<String> parents = new TreeSet<>();
            try (ResultSet rs = meta.getImportedKeys(null, schema, name)) {
                while (rs.next()) {
                    String parent = rs.getString("PKTABLE_NAME");
                    if (!parent.equalsIgnoreCase(name)) {
                        parents.add(parent);
                    }
                }
            }
            byName.put(name, new Table(name, List.copyOf(columns), List.copyOf(key.values()), parents));
        }
        return new Schema(version(c), parentsFirst(byName));
    }

    private static boolean inSchema(ResultSet rs, String schema) throws SQLException {
        return schema == null || schema.equals(rs.getString("TABLE_SCHEM"));
    }

    /** Kahn's algorithm; among tables free to go, by name, so the order is the same on every database. */
    private static List<Table> parentsFirst(Map<String, Table> byName) {
        List<Table> ordered = new ArrayList<>();
        Set<String> placed = new TreeSet<>();
        while (ordered.size() < byName.size()) {
            Table next = byName.values().stream()
                    .filter(t -> !placed.contains(t.name()) && placed.containsAll(t.parents().stream().filter(byName::containsKey).toList()))
                    .min(Comparator.comparing(Table::name))
                    .orElseThrow(() -> new IllegalStateException("foreign keys form a cycle among " + byName.keySet()));
            ordered.add(next);
            placed.add(next.name());
        }
        return List.copyOf(ordered);
    }

    /** The highest successfully applied migration version, compared numerically part by part (3.1 after 3). */
    private static String version(Connection c) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT " + Table.quote("version") + ", " + Table.quote("success") + " FROM " + Table.quote(HISTORY))) {
            while (rs.next()) {
                String v = rs.getString(1);
                if (v != null && rs.getBoolean(2)) versions.add(v); // repeatable migrations have no version
            }
        } catch (SQLException e) {
            throw HallmarkException.badInput("no Hallmark schema history in the database (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
        return versions.stream().max(Schema::compareVersions).orElse("0");
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0, q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) return Long.compare(p, q);
        }
        return 0;
    }

    Map<String, Table> byName() {
        Map<String, Table> map = new LinkedHashMap<>();
        tables.forEach(t -> map.put(t.name(), t));
        return map;
    }

    /**
     * Refuses to copy between schemas that differ: another version, another set of tables or of columns. Both
     * ends run this version's migrations first, so a difference means one was changed by hand or is newer.
     */
    void requireSameAs(Schema target, String sourceName, String targetName) {
        if (compareVersions(version, target.version) != 0) {
            throw HallmarkException.badInput("schema versions differ: " + sourceName + " is at version " + version + ", " + targetName
                    + " at " + target.version + " (run this same Hallmark version on both)");
        }
        Map<String, Table> theirs = target.byName();
        for (Table t : tables) {
            Table other = theirs.get(t.name());
            if (other == null) {
                throw HallmarkException.badInput("table " + t.name() + " of " + sourceName + " does not exist in " + targetName);
            }
            if (!other.shape().equals(t.shape())) {
                throw HallmarkException.badInput("table " + t.name() + " has columns " + t.shape() + " in " + sourceName + " but "
                        + other.shape() + " in " + targetName);
            }
        }
        for (String name : theirs.keySet()) {
            if (tables.stream().noneMatch(t -> t.name().equals(name))) {
                throw HallmarkException.badInput("table " + name + " of " + targetName + " does not exist in " + sourceName);
            }
        }
    }
}
