package io.hallmark.core.checkpoint;

import io.hallmark.core.files.OwnerOnlyFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A serving node's periodic checkpoints: one every {@code period} into {@code DATA/checkpoints/}, named by time
 * ({@code checkpoint-20261204T230000Z.txt}). They are only worth something once copied off the machine (docs say
 * where); the directory is where that copy job finds them. A failing run is logged and retried at the next tick.
 */
public final class CheckpointWriter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CheckpointWriter.class.getName());
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final AuditCheckpoints checkpoints;
    private final Path dir;
    private final Clock clock;
    private volatile java.util.function.BooleanSupplier here = () -> true;
    private ScheduledExecutorService executor;

    public CheckpointWriter(AuditCheckpoints checkpoints, Path dir, Clock clock) {
        this.checkpoints = checkpoints;
        this.dir = dir;
        this.clock = clock;
    }

    /**
     * Writes at a tick only while {@code holder} says so (the jobs lease): with several nodes, one checkpoint per
     * period, by whichever node holds the lease then, into its data directory.
     */
    public CheckpointWriter onlyWhile(java.util.function.BooleanSupplier holder) {
        this.here = holder;
        return this;
    }

    public synchronized CheckpointWriter start(java.time.Duration period) {
        if (executor != null) return this;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hallmark-checkpoints");
            t.setDaemon(true);
            return t;
        });
        long seconds = Math.max(1, period.toSeconds());
        executor.scheduleWithFixedDelay(() -> {
            try {
                if (here.getAsBoolean()) writeOne();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "audit checkpoint failed; retrying at the next tick", e);
            }
        }, Math.min(600, seconds), seconds, TimeUnit.SECONDS); // not at once: a short-lived or restarting server adds nothing to the log
        return this;
    }

    /** Signs one checkpoint and writes it; returns the file. */
    public Path writeOne() {
        Path file = dir.resolve("checkpoint-" + NAME.format(clock.instant()) + ".txt");
        String note = checkpoints.take("server", file.toString());
        try {
            Files.createDirectories(dir);
            OwnerOnlyFile.create(file, note.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    @Override
    public synchronized void close() {
        if (executor != null) executor.shutdownNow();
    }
}
