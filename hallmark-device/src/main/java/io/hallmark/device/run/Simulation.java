package io.hallmark.device.run;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.device.DeviceCredentials;
import io.hallmark.device.mqtt.MqttLink;
import io.hallmark.device.mqtt.PahoThreads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Many devices in one process, each on a virtual thread with its own IDevID, state directory and MQTT
 * connections, all from one agent configuration. Enrollment and the first connection run at most
 * {@code concurrency} at a time (the EST server, not this process, is what a real fleet would queue at);
 * connected devices then stay up for {@code hold}, publishing and renewing as the configuration says.
 */
public final class Simulation {

    /** Failures kept for the report; the rest are only counted. */
    static final int MAX_FAILURES_LISTED = 10;
    static final Duration CONNECT_WAIT = Duration.ofSeconds(60);

    /**
     * @param enrollmentsPerSecond the EST server's rate over the enrollment phase (first request to last certificate)
     */
    public record Report(int devices, int enrolled, int connected, int failed, int renewed, long published, long received,
                         double seconds, double enrollSeconds, double enrollmentsPerSecond, int concurrency, List<String> failures) {
    }

    /** One simulated device's IDevID files: NAME.pem and NAME.key side by side. */
    public record IdevidFiles(String name, Path cert, Path key) {
    }

    private Simulation() {
    }

    /** The first {@code count} IDevIDs in {@code dir} (NAME.pem with NAME.key), by name: what {@code quickstart --devices N} writes. */
    public static List<IdevidFiles> idevids(Path dir, int count) {
        if (dir == null) throw HallmarkException.badInput("no IDevID directory: give --idevids DIR or idevid.directory in the configuration");
        List<IdevidFiles> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path cert : files.filter(f -> f.getFileName().toString().endsWith(".pem")).sorted().toList()) {
                String name = cert.getFileName().toString().replaceFirst("\\.pem$", "");
                Path key = dir.resolve(name + ".key");
                if (Files.isRegularFile(key)) found.add(new IdevidFiles(name, cert, key));
                if (found.size() == count) break;
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw HallmarkException.notFound("no such IDevID directory: " + dir);
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot list " + dir + ": " + e.getMessage());
        }
        if (found.size() < count) {
            throw HallmarkException.badInput(dir + " holds " + found.size() + " IDevIDs (NAME.pem with NAME.key), fewer than --count " + count
                    + " (hallmark quickstart --devices " + count + " makes that many)");
        }
        return found;
    }

    public static Report run(AgentConfig config, List<IdevidFiles> devices, int concurrency, Duration hold, Consumer<String> log, Clock clock) {
        if (concurrency < 1) throw HallmarkException.badInput("--concurrency must be at least 1");
        Semaphore starting = new Semaphore(concurrency);
        AtomicInteger enrolled = new AtomicInteger();
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong firstEnrollStart = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastEnrollEnd = new AtomicLong(Long.MIN_VALUE);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<AgentRun> runs = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        try (ScheduledExecutorService threads = PahoThreads.create()) {
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (IdevidFiles d : devices) {
                    pool.submit(() -> {
                        AgentConfig own = new AgentConfig(config.est(), config.idevid(), config.state().resolve(d.name()), config.renewal(), config.mqtt(), config.https());
                        try {
                            starting.acquire();
                            AgentRun run;
                            try {
                                long t0 = System.nanoTime();
                                firstEnrollStart.accumulateAndGet(t0, Math::min);
                                run = new AgentRun(own, () -> DeviceCredentials.fromPem(d.cert(), d.key()), threads, line -> {
                                }, clock);
                                runs.add(run);
                                run.start();
                                if (run.summary().enrolled()) {
                                    enrolled.incrementAndGet();
                                    lastEnrollEnd.accumulateAndGet(System.nanoTime(), Math::max);
                                }
                                if (!run.awaitConnected(CONNECT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                                    throw new IllegalStateException("not connected within " + CONNECT_WAIT.toSeconds() + " s: "
                                            + run.summary().links().stream().map(s -> s.name() + ": " + s.lastError()).toList());
                                }
                            } finally {
                                starting.release();
                            }
                            connected.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            if (failures.size() < MAX_FAILURES_LISTED) failures.add(d.name() + ": " + e.getMessage());
                            log.accept(d.name() + ": " + e.getMessage());
                        }
                        return null;
                    });
                }
            }
            double upSeconds = (System.nanoTime() - started) / 1e9;
            log.accept(connected.get() + " of " + devices.size() + " devices connected in " + "%.1f".formatted(upSeconds) + " s"
                    + (hold.isZero() ? "" : "; holding for " + hold.toSeconds() + " s"));
            sleep(hold);
            List<AgentRun.Summary> summaries;
            synchronized (runs) {
                runs.parallelStream().forEach(AgentRun::close);
                summaries = runs.stream().map(AgentRun::summary).toList();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double enrollSeconds = enrolled.get() == 0 ? 0 : (lastEnrollEnd.get() - firstEnrollStart.get()) / 1e9;
            int renewed = (int) summaries.stream().filter(s -> s.renewals() > 0).count();
            long published = summaries.stream().flatMap(s -> s.links().stream()).mapToLong(MqttLink.Stats::published).sum();
            long received = summaries.stream().flatMap(s -> s.links().stream()).mapToLong(MqttLink.Stats::received).sum();
            return new Report(devices.size(), enrolled.get(), connected.get(), failed.get(), renewed, published, received, round(seconds),
                    round(enrollSeconds), enrollSeconds > 0 ? round(enrolled.get() / enrollSeconds) : 0, concurrency, List.copyOf(failures));
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
