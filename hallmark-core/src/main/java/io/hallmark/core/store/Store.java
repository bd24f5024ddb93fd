package io.hallmark.core.store;

/**
 * Hallmark's durable state, behind a port so that core holds no SQL. Everything happens in a
 * transaction: a certificate and the audit entry that records its issuance commit together or not at
 * all. Implementations: SQLite (embedded default) and PostgreSQL (scale-out), in hallmark-store.
 */
public interface Store extends AutoCloseable {

    /** Runs {@code work} in one transaction, committed if it returns and rolled back if it throws. */
    <T> T inTransaction(TxFunction<T> work);

    /**
     * Runs read-only {@code work} in one transaction that takes no write lock (on SQLite a deferred
     * transaction, which WAL lets run beside a writer). Writing inside it is a bug.
     */
    default <T> T read(TxFunction<T> work) {
        return inTransaction(work);
    }

    /**
     * As {@link #read}, but never run twice: for work that hands what it reads to something outside the transaction as
     * it goes (a CRL's revocations streamed to its encoder), which a retry would feed the same rows again. A broken
     * connection fails it, as it fails a write.
     */
    default <T> T readOnce(TxFunction<T> work) {
        return read(work);
    }

    default void run(TxConsumer work) {
        inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /**
     * Tells {@code listener}, after each commit of a transaction that moved the configuration sequence
     * ({@link ConfigRepository}), the number it moved to: this process learns of its own changes at once,
     * before the commit returns to the caller; other nodes' changes are found by polling the sequence.
     * Called on the committing thread; must not block or open a transaction.
     */
    void addConfigListener(java.util.function.LongConsumer listener);

    /** Where the data lives, for messages ({@code sqlite:/path/hallmark.db}, {@code postgresql://...}). */
    String describe();

    @Override
    void close();

    @FunctionalInterface
    interface TxFunction<T> {
        T apply(Tx tx);
    }

    @FunctionalInterface
    interface TxConsumer {
        void accept(Tx tx);
    }
}
