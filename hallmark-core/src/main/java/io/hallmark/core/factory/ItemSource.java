package io.hallmark.core.factory;

/**
 * Where a batch's items come from: an NDJSON request body, a CSV file, a directory of CSRs, a
 * simulator. Read from one thread, one item at a time, so a source never needs to hold the batch.
 */
public interface ItemSource extends AutoCloseable {

    /** The next item, or null at the end. A malformed item is {@link BatchItem#unreadable}, not an exception. */
    BatchItem next() throws Exception;

    @Override
    default void close() throws Exception {
    }
}
