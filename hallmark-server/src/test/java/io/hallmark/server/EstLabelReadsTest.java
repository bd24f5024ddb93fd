package io.hallmark.server;

import io.hallmark.core.Hallmark;
import io.hallmark.core.enroll.EnrollmentLabel;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.server.est.EstLabels;
import io.hallmark.store.JdbcStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** EST labels are looked up for every EST request; they are read from the store when they changed, not each time. */
class EstLabelReadsTest {

    @TempDir
    Path dir;

    @Test
    void lookingUpUnchangedLabelsReadsNothingAndAChangeIsSeenAtOnce() {
        CountingStore store = new CountingStore(JdbcStore.open(dir, null));
        try (Hallmark hallmark = new Hallmark(store, new KeyVaults(new SoftwareKeyVault(dir.resolve("keys"),
                new Passphrase("test passphrase".toCharArray(), "test", false))), Clock.systemUTC())) {
            EstLabels labels = new EstLabels(hallmark.store(), hallmark.sharedConfig());
            labels.put(new EnrollmentLabel("partner", "ldevid-ca", "ldevid", List.of("idevid-ca"), List.of(), false), "test", Instant.now());
            assertEquals("ldevid-ca", labels.get("partner").ca());

            long before = store.transactions.get();
            for (int i = 0; i < 100; i++) {
                labels.get("partner");
                labels.get("");
            }
            assertEquals(before, store.transactions.get(), "transactions for 200 lookups of unchanged labels");

            labels.put(new EnrollmentLabel("partner", "idevid-ca", "ldevid", List.of("idevid-ca"), List.of(), false), "test", Instant.now());
            assertEquals("idevid-ca", labels.get("partner").ca(), "a change made on this node is in force at once");
        }
    }

    /** Counts the transactions that reach the store. */
    static final class CountingStore implements Store {
        final AtomicLong transactions = new AtomicLong();
        private final Store inner;

        CountingStore(Store inner) {
            this.inner = inner;
        }

        @Override
        public <T> T inTransaction(TxFunction<T> work) {
            transactions.incrementAndGet();
            return inner.inTransaction(work);
        }

        @Override
        public <T> T read(TxFunction<T> work) {
            transactions.incrementAndGet();
            return inner.read(work);
        }

        @Override
        public void addConfigListener(java.util.function.LongConsumer listener) {
            inner.addConfigListener(listener);
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
