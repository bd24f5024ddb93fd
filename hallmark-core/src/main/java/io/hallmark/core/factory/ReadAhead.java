package io.hallmark.core.factory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link ItemSource} read on a thread of its own, so that the engine can wait for the next item with
 * a time limit. Why: a station on a slow line sends one device at a time and waits for its certificate;
 * a chunker that blocked until a chunk was full would answer it only a thousand devices later. With a
 * time limit the engine commits what it has whenever the input pauses, while a fast stream still fills
 * whole chunks. Blocking reads (an HTTP request body) cannot be given a timeout themselves, and
 * {@code InputStream.available()} says too little to decide on.
 */
final class ReadAhead implements AutoCloseable {

    /** Marks the end of the input; {@link #failure} says whether it ended in an error. */
    private static final BatchItem END = BatchItem.unreadable("end of input");

    private final BlockingQueue<BatchItem> queue;
    private final Thread thread;
    private volatile Exception failure;

    ReadAhead(ItemSource source, int capacity, String name) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(() -> pump(source), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void pump(ItemSource source) {
        try {
            for (BatchItem item = source.next(); item != null; item = source.next()) {
                queue.put(item);
            }
        } catch (InterruptedException e) {
            return; // closed
        } catch (Exception e) {
            failure = e;
        } catch (Error e) {
            // An Error (OutOfMemoryError above all) would end this thread without the END mark, and the engine
            // would wait for the next item forever, its request never answered: hand it on as the failure.
            failure = new IllegalStateException("reading the batch failed: " + e, e);
        }
        try {
            queue.put(END);
        } catch (InterruptedException ignored) {
            // closed
        }
    }

    /**
     * The next item, waiting at most {@code timeoutMillis} (negative: as long as it takes).
     *
     * @return the item; {@link Poll#NONE} when none came in time; {@link Poll#END} at the end of the input
     * @throws Exception what the source failed with
     */
    Poll next(long timeoutMillis) throws Exception {
        BatchItem item = timeoutMillis < 0 ? queue.take() : queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (item == END) {
            queue.put(END); // stays at the end for any later call
            if (failure != null) {
                throw failure;
            }
            return Poll.END;
        }
        return item == null ? Poll.NONE : new Poll(item, false);
    }

    record Poll(BatchItem item, boolean ended) {
        static final Poll NONE = new Poll(null, false);
        static final Poll END = new Poll(null, true);
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
