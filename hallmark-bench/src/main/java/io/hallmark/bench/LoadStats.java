package io.hallmark.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of one operation, or of one target: successes, failures by kind, and the latencies of the successes. */
final class LoadStats {

    private final LongAdder ok = new LongAdder();
    private final LongAdder items = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, String> firstErrors = new ConcurrentHashMap<>();
    private long[] latencies = new long[1024]; // guarded by this
    private int count; // guarded by this

    void success(long nanos, int certificates) {
        ok.increment();
        items.add(certificates);
        synchronized (this) {
            if (count == latencies.length) latencies = Arrays.copyOf(latencies, count * 2);
            latencies[count++] = nanos;
        }
    }

    void failure(LoadFailure f) {
        errors.computeIfAbsent(f.kind, k -> new LongAdder()).increment();
        firstErrors.putIfAbsent(f.kind, f.getMessage());
    }

    long ok() {
        return ok.sum();
    }

    long certificates() {
        return items.sum();
    }

    /** Failures by kind, sorted by name so reports compare line by line. */
    Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    Map<String, String> firstErrors() {
        return new TreeMap<>(firstErrors);
    }

    synchronized long[] sortedLatencies() {
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        return sorted;
    }

    /** Nearest-rank percentile in milliseconds, two decimals; null when nothing succeeded (JSON has no NaN). */
    static Double millis(long[] sorted, double p) {
        if (sorted.length == 0) return null;
        return Math.round(EstBenchmark.percentile(sorted, p) / 1e4) / 100.0;
    }
}
