package io.hallmark.core.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What this node knows of the configuration sequence ({@link ConfigRepository#sequence()}), and caches of
 * shared configuration that reload when it moved. The sequence moves in the transaction of every change;
 * this node learns of its own changes after their commit ({@link Store#addConfigListener}) and of other
 * nodes' by {@link #poll()}, which a serving node's scheduler calls every second. Reading a cached value
 * costs no store access while the sequence stands still.
 */
public final class SharedConfig {

    private final Store store;
    private final AtomicLong seen = new AtomicLong(-1);

    public SharedConfig(Store store) {
        this.store = store;
        store.addConfigListener(this::moved);
    }

    /** Reads the sequence (one cheap query); caches reload at their next use if it moved. */
    public void poll() {
        moved(store.read(tx -> tx.config().sequence()));
    }

    private void moved(long sequence) {
        seen.accumulateAndGet(sequence, Math::max);
    }

    /**
     * A value read from the store by {@code load} and kept until the configuration sequence moves past the
     * number read with it. {@code load} runs in a read transaction; it should only read.
     */
    public <T> Cached<T> cache(Function<Tx, T> load) {
        return new Cached<>(load);
    }

    /** A value of shared configuration and the sequence number it is current at. */
    private record Loaded<T>(long sequence, T value) {
    }

    /** See {@link #cache}. */
    public final class Cached<T> {
        private final Function<Tx, T> load;
        private volatile Loaded<T> loaded;

        private Cached(Function<Tx, T> load) {
            this.load = load;
        }

        public T get() {
            Loaded<T> current = loaded;
            if (current == null || current.sequence() < seen.get()) {
                // The sequence is read before the value: a change committing in between makes the value newer
                // than its number, which costs a needless reload later, never a stale value kept.
                current = store.read(tx -> new Loaded<>(tx.config().sequence(), load.apply(tx)));
                moved(current.sequence());
                loaded = current;
            }
            return current.value();
        }
    }
}
