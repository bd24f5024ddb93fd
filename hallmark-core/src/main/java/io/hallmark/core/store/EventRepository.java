package io.hallmark.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

public interface EventRepository {

    void append(List<Event> events);

    default void append(Event event) {
        append(List.of(event));
    }

    /**
     * Streams events newest first, filtered by the non-null arguments, at most {@code limit} of them.
     */
    void scan(String device, EventType type, Instant since, int limit, Consumer<Event> consumer);

    /** The newest event of any kind about this device (enrollments, authentications reported by brokers). */
    Optional<Instant> lastSeen(String device);

    /**
     * Moves the retention watermark to {@code before} (never back) and deletes the events older than it: the
     * only deletion the database allows on events.
     *
     * @return how many were deleted
     */
    long purgeBefore(Instant before);
}
