package io.hallmark.core.factory;

import io.hallmark.core.store.FactoryBatchRecord;

import java.time.Duration;
import java.time.Instant;

/**
 * A factory batch's progress as the API, the CLI and the console show it.
 *
 * @param state      {@code running}; {@code idle}: no end recorded and nothing committed for {@link #IDLE_AFTER} (a station
 *                   pausing, or a process that died: running the batch again completes it); {@code done}; {@code failed}
 * @param station    null for an operator's local run
 * @param declared   items announced by the client; null when it did not say
 * @param done       items answered ({@code issued + existing + failed})
 * @param perSecond  items answered per second, from the start to the end (or to now, while it runs)
 * @param percent    {@code done} of {@code declared}, 0 to 100; null without a declared size
 * @param lastActivity the start or the last committed chunk, whichever is later
 */
public record BatchStatus(String id, String state, String ca, String profile, String station, String actor, Long declared,
                          long done, long issued, long existing, long failed, long chunks, double perSecond, Double percent,
                          Instant startedAt, Instant lastActivity, Instant endedAt, String error) {

    public static final String RUNNING = "running";
    public static final String IDLE = "idle";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    /** A batch without an end row and without a commit for this long reads as idle. */
    public static final Duration IDLE_AFTER = Duration.ofMinutes(10);

    public static BatchStatus of(FactoryBatchRecord r, Instant now) {
        Instant last = r.lastChunk() == null || r.lastChunk().isBefore(r.startedAt()) ? r.startedAt() : r.lastChunk();
        String state = r.endedAt() != null ? (r.failed() ? FAILED : DONE)
                : last.plus(IDLE_AFTER).isBefore(now) ? IDLE : RUNNING;
        Instant until = r.endedAt() != null ? r.endedAt() : state.equals(IDLE) ? last : now;
        long millis = Math.max(1, Duration.between(r.startedAt(), until).toMillis());
        double rate = Math.round(r.done() * 10_000.0 / millis) / 10.0;
        Double percent = r.declared() == null || r.declared() == 0 ? null : Math.min(100.0, Math.round(r.done() * 1000.0 / r.declared()) / 10.0);
        return new BatchStatus(r.id(), state, r.ca(), r.profile(), r.station(), r.actor(), r.declared(), r.done(), r.issued(), r.existing(),
                r.refused(), r.chunks(), rate, percent, r.startedAt(), last, r.endedAt(), r.error());
    }

    /** Whether a page showing it should keep refreshing. */
    public boolean running() {
        return RUNNING.equals(state);
    }
}
