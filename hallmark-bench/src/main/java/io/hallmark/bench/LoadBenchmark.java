package io.hallmark.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Mixed load on one or more nodes: {@code clients} threads, each taking the next request number, the mix
 * choosing its operation, the operation's own counter choosing the node (round robin per operation, so
 * that every node gets every operation whatever the weights). Bounded in time and in requests; a request
 * in flight at the end is finished and counted.
 */
final class LoadBenchmark {

    record Settings(List<LoadTarget> targets, LoadMix mix, int clients, Duration duration, long maxRequests) {
    }

    private final LoadRequests requests;
    private final Settings settings;
    private final Consumer<String> acknowledged;
    private final Map<LoadOperation, LoadStats> operations = new EnumMap<>(LoadOperation.class);
    private final Map<LoadOperation, AtomicLong> perOperation = new EnumMap<>(LoadOperation.class);
    private final List<LoadStats> targets = new ArrayList<>();
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong acknowledgedCount = new AtomicLong();

    LoadBenchmark(LoadRequests requests, Settings settings, Consumer<String> acknowledged) {
        this.requests = requests;
        this.settings = settings;
        this.acknowledged = acknowledged;
        for (LoadOperation op : LoadOperation.values()) {
            operations.put(op, new LoadStats());
            perOperation.put(op, new AtomicLong());
        }
        settings.targets().forEach(t -> targets.add(new LoadStats()));
    }

    /** Successes so far against target {@code i} (a fault test watches the survivor's grow). */
    long ok(int target) {
        return targets.get(target).ok();
    }

    /** Failures so far against target {@code i}, by kind. */
    Map<String, Long> errors(int target) {
        return targets.get(target).errors();
    }

    /** Runs the load; returns the report (key names as `bench load --json` prints them). */
    Map<String, Object> run() throws InterruptedException {
        if (settings.clients() < 1 || settings.clients() > 1024) throw io.hallmark.core.error.HallmarkException.badInput("--clients must be between 1 and 1024");
        long start = System.nanoTime();
        long end = start + settings.duration().toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < settings.clients(); c++) {
            threads.add(Thread.ofPlatform().name("bench-load-" + c).start(() -> {
                for (long n = next.getAndIncrement(); n < settings.maxRequests() && System.nanoTime() < end; n = next.getAndIncrement()) {
                    one(settings.mix().pick(n));
                }
            }));
        }
        for (Thread t : threads) t.join();
        return report((System.nanoTime() - start) / 1e9);
    }

    private void one(LoadOperation op) {
        long k = perOperation.get(op).getAndIncrement();
        int t = (int) Math.floorMod(k, settings.targets().size());
        LoadTarget target = settings.targets().get(t);
        long t0 = System.nanoTime();
        try {
            List<String> serials = switch (op) {
                case EST -> requests.est(target, k / settings.targets().size());
                case OCSP -> {
                    requests.ocsp(target, k / settings.targets().size());
                    yield List.of();
                }
                case FACTORY -> requests.factory(target, k);
            };
            long took = System.nanoTime() - t0;
            for (String serial : serials) {
                acknowledged.accept(serial);
                acknowledgedCount.incrementAndGet();
            }
            operations.get(op).success(took, serials.size());
            targets.get(t).success(took, serials.size());
        } catch (LoadFailure f) {
            operations.get(op).failure(f);
            targets.get(t).failure(f);
        } catch (RuntimeException e) {
            // A request that could not even be made (a bad credential file, say) is this tool's fault: report it as such.
            LoadFailure f = new LoadFailure("client", e.getClass().getSimpleName() + ": " + e.getMessage());
            operations.get(op).failure(f);
            targets.get(t).failure(f);
        }
    }

    private Map<String, Object> report(double seconds) {
        Map<String, Object> report = new LinkedHashMap<>();
        for (LoadOperation op : LoadOperation.values()) {
            if (settings.mix().weight(op) == 0) continue;
            LoadStats s = operations.get(op);
            long[] sorted = s.sortedLatencies();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("ok", s.ok());
            o.put("errors", s.errors());
            o.put("per_second", Math.round(s.ok() / seconds * 10) / 10.0);
            o.put("p50_ms", LoadStats.millis(sorted, 0.50));
            o.put("p99_ms", LoadStats.millis(sorted, 0.99));
            o.put("p999_ms", LoadStats.millis(sorted, 0.999));
            if (op != LoadOperation.OCSP) o.put("certificates", s.certificates());
            if (!s.firstErrors().isEmpty()) o.put("first_errors", s.firstErrors());
            report.put(op.key(), o);
        }
        List<Map<String, Object>> perTarget = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("target", settings.targets().get(i).https().toString());
            t.put("ocsp_target", settings.targets().get(i).ocsp().toString());
            t.put("ok", targets.get(i).ok());
            t.put("errors", targets.get(i).errors());
            perTarget.add(t);
        }
        report.put("targets", perTarget);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("seconds", Math.round(seconds * 100) / 100.0);
        long sent = 0;
        for (LoadStats t : targets) sent += t.ok() + t.errors().values().stream().mapToLong(Long::longValue).sum();
        run.put("requests", sent);
        run.put("clients", settings.clients());
        Map<String, Integer> mix = new LinkedHashMap<>();
        for (LoadOperation op : LoadOperation.values()) mix.put(op.key(), settings.mix().weight(op));
        run.put("mix", mix);
        run.put("acknowledged", acknowledgedCount.get());
        run.put("devices", requests.deviceCount());
        run.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("run", run);
        return report;
    }
}
