package io.hallmark.core.store;

import java.time.Instant;

/**
 * A factory batch with its progress so far, as the store sums it.
 *
 * @param station    the station it runs for; null for an operator's local run
 * @param declared   items the client said it would send; null when it did not say
 * @param chunks     chunks committed so far
 * @param done       items answered so far ({@code issued + existing + failed})
 * @param lastChunk  when the last chunk committed; null before the first
 * @param endedAt    when it ended; null while it runs (or if the process running it died)
 * @param failed     with {@code endedAt}: whether it stopped on an error ({@code error}) rather than at the end of its input
 */
public record FactoryBatchRecord(String id, String ca, String profile, String station, String actor, Long declared, Instant startedAt,
                                 long chunks, long done, long issued, long existing, long refused, Instant lastChunk,
                                 Instant endedAt, boolean failed, String error) {

    /** What a batch's start row holds. */
    public record Start(String id, String ca, String profile, String station, String actor, Long declared, Instant startedAt) {
    }

    /** A place in the newest-first order: where the next page starts. */
    public record Position(Instant startedAt, String id) {
    }

    public Position position() {
        return new Position(startedAt, id);
    }
}
