package io.hallmark.core.revoke;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs a producer (a store read streaming rows) on a thread of its own and hands what it produces to the calling
 * thread in chunks through a bounded queue, so that reading a million revocations and encoding them overlap on two
 * cores: the wall time is about the longer of the two, not their sum. The queue bounds what is held in memory
 * ({@code chunk × depth} items). A producer failure is rethrown on the calling thread; a consumer failure stops
 * the producer (its next hand-off throws, which ends and rolls back its read) before it is rethrown.
 */
final class OverlappedRead {

    private static final Object[] END = new Object[0];

    private OverlappedRead() {
    }

    /** A producer stopped because its consumer failed. */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super("the consumer of the read failed", null, false, false);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> void run(String threadName, int chunk, int depth, Consumer<Consumer<T>> producer, Consumer<T> consumer) {
        BlockingQueue<Object[]> queue = new ArrayBlockingQueue<>(depth);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        Thread reader = Thread.ofPlatform().name(threadName).daemon().start(() -> {
            try {
                Object[][] buf = {new Object[chunk]};
                int[] n = {0};
                producer.accept(item -> {
                    buf[0][n[0]++] = item;
                    if (n[0] == chunk) {
                        handOff(queue, buf[0], abandoned);
                        buf[0] = new Object[chunk];
                        n[0] = 0;
                    }
                });
                if (n[0] > 0) handOff(queue, java.util.Arrays.copyOf(buf[0], n[0]), abandoned);
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                try {
                    handOff(queue, END, abandoned);
                } catch (Abandoned ignored) {
                    // nobody is waiting for the end any more
                }
            }
        });
        boolean done = false;
        try {
            while (true) {
                Object[] items = queue.take();
                if (items == END) break;
                for (Object item : items) consumer.accept((T) item);
            }
            done = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading", e);
        } finally {
            if (!done) {
                abandoned.set(true);
                queue.clear();
            }
            joinUninterruptibly(reader, queue);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
    }

    /** Puts, waking now and then to see whether the consumer has given up (then the queue may never drain). */
    private static void handOff(BlockingQueue<Object[]> queue, Object[] items, AtomicBoolean abandoned) {
        try {
            do {
                if (abandoned.get()) throw new Abandoned();
            } while (!queue.offer(items, 20, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abandoned();
        }
    }

    private static void joinUninterruptibly(Thread reader, BlockingQueue<Object[]> queue) {
        boolean interrupted = false;
        while (true) {
            try {
                reader.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                queue.clear();
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
