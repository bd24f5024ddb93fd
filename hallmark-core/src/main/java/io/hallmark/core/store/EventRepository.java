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

    /**
     * When the device was last seen: the newest of its events that {@link EventType#movesLastSeen() move it}
     * (appending one moves it in the same transaction) and of the OCSP queries about its certificates
     * ({@link #seenBySerial}). Empty for a device never seen, or not registered, or seen before retention.
     */
    Optional<Instant> lastSeen(String device);

    /**
     * Moves the last seen of the devices of these certificates to {@code at} (never back): OCSP queries about them,
     * gathered in memory and written in one batch. Serials of no certificate, or of one without a registered device,
     * are skipped.
     */
    void seenBySerial(java.util.Collection<String> serials, Instant at);

    /**
     * Moves the retention watermark to {@code before} (never back) and deletes the events older than it: the
     * only deletion the database allows on events.
     *
     * @return how many were deleted
     */
    long purgeBefore(Instant before);
}
