package io.hallmark.server;

import io.hallmark.core.audit.AuditVerification;
import io.hallmark.testing.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL restarted under load, on a cluster of the test's own: a node serving EST enrollments and OCSP while its
 * database is restarted (pg_ctl restart -m fast) and then stopped for five seconds. Every answer in between is right or a
 * clean 503 with Retry-After; the node serves again without being restarted; nothing acknowledged is lost.
 */
class PostgresOutageTest {

    @TempDir
    Path dir;

    @Test
    void aRestartAndAStopOfTheDatabaseGiveClean503sAndLoseNothing() throws Exception {
        try (PostgresCluster pg = PostgresCluster.primary();
             ServerFixture node = ServerFixture.node(dir.resolve("node"), pg.url(), dir.resolve("keys"))) {
            long made = System.nanoTime();
            MixedLoad load = new MixedLoad(node, 400);
            FrontEndProbes frontEnds = new FrontEndProbes(node);
            System.out.printf("400 IDevIDs made in-process in %d ms%n", ms(System.nanoTime() - made));
            load.start(3, 2);
            try {
                awaitSuccess(load, "EST", System.nanoTime(), 20);

                long restartAt = System.nanoTime();
                pg.restart();
                long restarted = System.nanoTime();
                long firstAfterRestart = awaitSuccess(load, "EST", restarted, 20);

                Thread.sleep(1_000);
                long stopAt = System.nanoTime();
                pg.stop("fast");
                long stoppedAt = System.nanoTime();
                List<String> probed = frontEnds.probe();
                Thread.sleep(Math.max(0, 5_000 - ms(System.nanoTime() - stoppedAt)));
                long startAt = System.nanoTime();
                pg.start();
                long started = System.nanoTime();
                long firstEst = awaitSuccess(load, "EST", started, 20);
                long firstOcsp = awaitSuccess(load, "OCSP", started, 20);
                Thread.sleep(1_000);
                load.close();

                long unavailableInStop = load.count("EST", 503, stopAt) + load.count("OCSP", 503, stopAt);
                System.out.printf("restart (pg_ctl restart -m fast) took %d ms, first enrollment %d ms after it returned;"
                                + " stop of 5 s: %d answers 503 with Retry-After, first enrollment %d ms and first OCSP answer %d ms after"
                                + " pg_ctl start returned (start took %d ms); %d enrollments, %d OCSP 200s in all%n",
                        ms(restarted - restartAt), ms(firstAfterRestart - restarted), unavailableInStop, ms(firstEst - started),
                        ms(firstOcsp - started), ms(started - startAt), load.acknowledged().size(), load.count("OCSP", 200, 0));
                assertEquals(List.of(), load.problems().stream().limit(10).toList(), "every answer right or a clean 503");
                System.out.println("with the database stopped: " + probed);
                assertEquals(List.of(), frontEnds.problems(probed), "REST API, console, factory API and CRLs: clean 503s (or a right CRL)");
                assertTrue(unavailableInStop > 0, "the load met the database stopped (else the test showed nothing)");
                assertTrue(load.count("EST", -1, 0) == 0 && load.count("OCSP", -1, 0) == 0, "the node answered every request");
            } finally {
                load.close();
            }

            nothingLost(node, load, pg.url());
        }
    }

    /** Every acknowledged certificate is in the store, once; no device has two LDevIDs; the audit chain is intact. */
    static void nothingLost(ServerFixture node, MixedLoad load, String url) throws Exception {
        List<String> acknowledged = load.acknowledgedSerials();
        assertEquals(acknowledged.size(), new HashSet<>(acknowledged).size(), "no serial acknowledged twice");
        for (String serial : acknowledged) {
            assertTrue(node.hallmark.store().read(tx -> tx.certificates().find(serial)).isPresent(), "acknowledged " + serial + " is stored");
        }
        try (Connection c = DriverManager.getConnection(url); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*), count(DISTINCT serial), (SELECT count(*) FROM (SELECT device_id FROM certificates WHERE profile = 'ldevid'"
                        + " GROUP BY device_id HAVING count(*) > 1) twice) FROM certificates")) {
            rs.next();
            assertEquals(rs.getLong(1), rs.getLong(2), "no serial stored twice");
            assertEquals(0, rs.getLong(3), "no device identity issued twice");
        }
        AuditVerification audit = node.hallmark.verifyAudit();
        assertTrue(audit.intact(), "audit chain: " + audit.problem());
    }

    /** Waits for a 200 of {@code op} asked after {@code since}; returns when it was answered. */
    static long awaitSuccess(MixedLoad load, String op, long since, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            var first = load.outcomes().stream().filter(o -> o.op().equals(op) && o.status() == 200 && o.askedAt() >= since)
                    .mapToLong(MixedLoad.Outcome::answeredAt).min();
            if (first.isPresent()) return first.getAsLong();
            Thread.sleep(20);
        }
        throw new AssertionError(op + " did not succeed within " + seconds + " s; problems: " + load.problems().stream().limit(5).toList());
    }

    static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
