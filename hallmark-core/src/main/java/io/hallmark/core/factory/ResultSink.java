package io.hallmark.core.factory;

/**
 * Where outcomes go: an NDJSON response body, per-device files and a manifest. Called from one thread,
 * in input order, only for items whose chunk has committed. Throwing stops the batch (what is committed
 * stays committed; re-running the batch returns it again).
 */
public interface ResultSink {

    void accept(BatchOutcome outcome) throws Exception;

    /** Once the batch is recorded, before its first item is read: its name in the store and the audit log. */
    default void started(String batchId) throws Exception {
    }

    /** After each committed chunk has been handed over: a place to flush. */
    default void chunkDone(BatchProgress progress) throws Exception {
    }
}
