package io.hallmark.server;

import io.hallmark.testing.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;

import static io.hallmark.server.PostgresOutageTest.awaitSuccess;
import static io.hallmark.server.PostgresOutageTest.ms;
import static io.hallmark.server.PostgresOutageTest.nothingLost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL with a streaming standby under synchronous replication: the primary crashes (pg_ctl stop -m immediate) during
 * EST and OCSP load, the standby is promoted, and the node, whose JDBC URL names both hosts with
 * targetServerType=primary, reconnects by itself and serves again; every certificate it acknowledged before the crash is
 * on the promoted standby.
 */
class PostgresFailoverTest {

    @TempDir
    Path dir;

    @Test
    void theNodeFollowsAPromotedStandbyAndNothingAcknowledgedIsLost() throws Exception {
        try (PostgresCluster primary = PostgresCluster.primary();
             PostgresCluster standby = PostgresCluster.standbyOf(primary, "standby1")) {
            // Synchronous from here on: a commit returns once the standby has flushed its WAL (synchronous_commit=on,
            // the default), so an acknowledged certificate is on both.
            try (Connection c = DriverManager.getConnection(primary.url())) {
                c.createStatement().execute("ALTER SYSTEM SET synchronous_standby_names = 'standby1'");
                c.createStatement().execute("SELECT pg_reload_conf()");
                awaitSync(c);
            }
            String url = "jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port()
                    + "/postgres?user=postgres&targetServerType=primary&hostRecheckSeconds=1";
            try (ServerFixture node = ServerFixture.node(dir.resolve("node"), url, dir.resolve("keys"))) {
                MixedLoad load = new MixedLoad(node, 400);
                load.start(2, 1);
                try {
                    awaitSuccess(load, "EST", System.nanoTime(), 20);
                    Thread.sleep(2_000);
                    long crashAt = System.nanoTime();
                    primary.stop("immediate");
                    long crashed = System.nanoTime();
                    Thread.sleep(1_000); // an operator's (or a failover manager's) reaction time, shortened
                    long promoteAt = System.nanoTime();
                    standby.promote();
                    long promoted = System.nanoTime();
                    long firstEst = awaitSuccess(load, "EST", promoted, 30);
                    long firstOcsp = awaitSuccess(load, "OCSP", promoted, 30);
                    Thread.sleep(1_000);
                    load.close();
                    System.out.printf("failover: primary crashed (pg_ctl stop -m immediate, %d ms), promote took %d ms; first enrollment %d ms"
                                    + " and first OCSP answer %d ms after the promotion returned (%d ms after the crash); %d answers 503 with"
                                    + " Retry-After (requests in flight at the crash included); %d enrollments, %d OCSP 200s in all%n",
                            ms(crashed - crashAt), ms(promoted - promoteAt), ms(firstEst - promoted), ms(firstOcsp - promoted),
                            ms(firstEst - crashAt), load.count("EST", 503, 0) + load.count("OCSP", 503, 0),
                            load.acknowledged().size(), load.count("OCSP", 200, 0));
                    assertEquals(List.of(), load.problems().stream().limit(10).toList(), "every answer right or a clean 503");
                    assertTrue(load.count("EST", -1, 0) == 0 && load.count("OCSP", -1, 0) == 0, "the node answered every request");
                } finally {
                    load.close();
                }
                // Read on the promoted standby itself: what the node acknowledged before and after the crash is there.
                nothingLost(node, load, standby.url());
            }
        }
    }

    private static void awaitSync(Connection c) throws InterruptedException, java.sql.SQLException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String state = null;
        while (System.nanoTime() < deadline) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'")) {
                state = rs.next() ? rs.getString(1) : null;
            }
            if ("sync".equals(state)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("standby1 is not a synchronous standby: " + state);
    }
}
