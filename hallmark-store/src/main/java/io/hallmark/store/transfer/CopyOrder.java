package io.hallmark.store.transfer;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The order rows are read and written in. History goes in the order it was written: certificates by issue
 * time, revocations by their sequence number, the audit log by its own, device blocks by time; a CA after the
 * CA that issued it (its foreign key to its parent is checked as each row goes in); any other table by its
 * primary key. Each order ends with the primary key, so it is total and the same on every run.
 */
final class CopyOrder {

    private CopyOrder() {
    }

    static String select(Table t) {
        String columns = t.columns().stream().map(c -> "t." + Table.quote(c.name())).collect(Collectors.joining(", "));
        if (t.name().equals("cas") && hasColumns(t, "name", "parent")) {
            // Parents first, at any depth: a recursive walk from the roots (portable to SQLite and PostgreSQL).
            return "WITH RECURSIVE tree (name, depth) AS ("
                    + "SELECT name, 0 FROM cas WHERE parent IS NULL "
                    + "UNION ALL SELECT c.name, tree.depth + 1 FROM cas c JOIN tree ON c.parent = tree.name) "
                    + "SELECT " + columns + " FROM cas t JOIN tree ON tree.name = t.name ORDER BY tree.depth, t.name";
        }
        return "SELECT " + columns + " FROM " + Table.quote(t.name()) + " t" + orderBy(t);
    }

    private static String orderBy(Table t) {
        List<String> first = switch (t.name()) {
            case "certificates" -> List.of("issued_at");
            // Rows recorded before the sequence existed (NULL) first.
            case "revocations" -> hasColumns(t, "seq") ? List.of("COALESCE(t." + Table.quote("seq") + ", -1)") : List.of();
            case "audit_log" -> List.of("seq");
            case "device_blocks" -> List.of("blocked_at");
            default -> List.of();
        };
        List<String> order = new java.util.ArrayList<>();
        for (String f : first) {
            if (f.contains("(") || hasColumns(t, f)) {
                order.add(f.contains("(") ? f : "t." + Table.quote(f));
            }
        }
        for (String k : t.primaryKey()) {
            order.add("t." + Table.quote(k));
        }
        return order.isEmpty() ? "" : " ORDER BY " + String.join(", ", order);
    }

    private static boolean hasColumns(Table t, String... names) {
        for (String n : names) {
            if (t.columns().stream().noneMatch(c -> c.name().equals(n))) return false;
        }
        return true;
    }
}
