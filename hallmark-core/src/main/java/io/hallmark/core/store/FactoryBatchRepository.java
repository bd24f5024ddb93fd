package io.hallmark.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Factory batches and their progress, append-only: a start row, a row per committed chunk (written in that chunk's
 * transaction), an end row. Progress and state are read from them, never stored in place.
 */
public interface FactoryBatchRepository {

    void start(FactoryBatchRecord.Start start);

    /** The chunk's counts; called inside the transaction that recorded the chunk's certificates. */
    void chunk(String batchId, long chunk, Instant at, long items, long issued, long existing, long failed);

    /** The batch's end: {@code failed} with the reason, or done. */
    void end(String batchId, Instant at, boolean failed, String error);

    Optional<FactoryBatchRecord> find(String id);

    /**
     * Newest first, at most {@code limit}; with {@code before}, only batches that come after it in that order
     * (started earlier, or at the same millisecond with a smaller id): the cursor of a paged listing.
     */
    List<FactoryBatchRecord> page(FactoryBatchRecord.Position before, int limit);
}
