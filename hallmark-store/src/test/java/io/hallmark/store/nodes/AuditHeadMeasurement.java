package io.hallmark.store.nodes;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.store.JdbcStore;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test: a measurement of what the audit chain's single head row costs when two nodes issue at once on
 * PostgreSQL, against one node with the same number of issuing threads (docs/benchmarks.md, "The audit head row").
 * Run with {@code -Dhallmark.measure=audit-head} and {@code -Dhallmark.test.postgres=...}; prints its figures.
 */
@EnabledIfSystemProperty(named = "hallmark.measure", matches = "audit-head")
class AuditHeadMeasurement {

    private static final int SECONDS = Integer.getInteger("hallmark.measure.seconds", 15);
    private static final int THREADS = Integer.getInteger("hallmark.measure.threads", 8);

    @TempDir
    Path dir;

    @Test
    void oneNodeAgainstTwo() throws Exception {
        List<byte[]> csrs = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            csrs.add(Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("CN=measure")));
        }
        for (int run = 1; run <= 3; run++) {
            System.out.println("run " + run);
            try (TwoNodes nodes = TwoNodes.of("postgresql", dir.resolve("one-" + run))) {
                System.out.println("  " + measure(List.of(nodes.a), THREADS, csrs, "one node, " + THREADS + " threads"));
            }
            try (TwoNodes nodes = TwoNodes.of("postgresql", dir.resolve("two-" + run))) {
                System.out.println("  " + measure(List.of(nodes.a, nodes.sameKeys()), THREADS / 2, csrs, "two nodes, " + THREADS / 2 + " threads each"));
            }
        }
    }

    private static String measure(List<Hallmark> nodes, int threadsPerNode, List<byte[]> csrs, String what) throws Exception {
        ConcurrentLinkedQueue<Long> waits = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        for (Hallmark node : nodes) {
            ((JdbcStore) node.store()).timeAuditHeadWait(waits::add);
            node.issuer().issue(new IssuanceRequest("ldevid-ca", "ldevid", csrs.getFirst(), "WARM", null, TwoNodes.ACTOR)); // warm caches
        }
        waits.clear();
        AtomicInteger next = new AtomicInteger(1);
        CountDownLatch start = new CountDownLatch(1);
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (Hallmark node : nodes) {
            for (int t = 0; t < threadsPerNode; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    int i;
                    while (System.nanoTime() < end && (i = next.getAndIncrement()) < csrs.size()) {
                        long t0 = System.nanoTime();
                        node.issuer().issue(new IssuanceRequest("ldevid-ca", "ldevid", csrs.get(i), "DEV-" + i, null, TwoNodes.ACTOR));
                        latencies.add(System.nanoTime() - t0);
                    }
                }));
            }
        }
        long began = System.nanoTime();
        start.countDown();
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - began) / 1e9;
        long[] w = waits.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double waited = Arrays.stream(w).sum() / 1e9;
        double busy = Arrays.stream(l).sum() / 1e9;
        var verified = nodes.getFirst().verifyAudit();
        String chain = verified.entries() + " entries, " + (verified.brokenAt() == null ? "intact" : "broken at " + verified.brokenAt() + ": " + verified.problem());
        return String.format("%s: %d issued in %.1f s = %.0f/s; issue p50 %.2f ms p99 %.2f ms; head wait p50 %.3f ms p99 %.3f ms max %.1f ms; "
                        + "head wait is %.1f%% of issuing time; chain %s",
                what, l.length, seconds, l.length / seconds, ms(l, 0.5), ms(l, 0.99), ms(w, 0.5), ms(w, 0.99), w.length == 0 ? 0 : w[w.length - 1] / 1e6,
                100 * waited / busy, chain);
    }

    private static double ms(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }
}
