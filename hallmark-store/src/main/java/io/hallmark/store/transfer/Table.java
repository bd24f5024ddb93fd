package io.hallmark.store.transfer;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A table as the database describes it.
 *
 * @param name       lower case, as the migrations create it
 * @param columns    in the table's order
 * @param primaryKey its primary key's columns, in key order
 * @param parents    the other tables its foreign keys reference (a reference to itself is not listed)
 */
record Table(String name, List<Column> columns, List<String> primaryKey, Set<String> parents) {

    record Column(String name, ColumnKind kind) {
    }

    String columnList() {
        return columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }

    String insert() {
        return "INSERT INTO " + quote(name) + " (" + columnList() + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    }

    /** UPDATE of every column but {@code id}, by {@code id}: for seeded rows a copy may not replace. */
    String updateById() {
        return "UPDATE " + quote(name) + " SET " + columns.stream().filter(c -> !c.name().equals("id")).map(c -> quote(c.name()) + " = ?")
                .collect(Collectors.joining(", ")) + " WHERE id = ?";
    }

    /** Columns as "name kind" pairs, for telling two databases' versions of the table apart. */
    Set<String> shape() {
        return columns.stream().map(c -> c.name() + " " + c.kind()).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
