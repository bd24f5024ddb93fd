package io.hallmark.core.archfixture;

import java.sql.Connection;
import java.sql.SQLException;

/** A core class that knows SQL, for ArchitectureRulesTest (a test class: not part of hallmark-core). */
public final class ReadsJdbc {
    public static boolean open(Connection connection) throws SQLException {
        return !connection.isClosed();
    }
}
