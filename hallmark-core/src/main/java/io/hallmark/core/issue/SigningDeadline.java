package io.hallmark.core.issue;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.vault.KeyVaults;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * How long the issuance pipeline waits for a signature from a key that lives outside the process (a PKCS#11 token,
 * {@link KeyHandle#mayHang()}), and how many such calls may be left hanging: the one place, in the pipeline's sign
 * step ({@link IssuanceSigner#sign}), so every front end (EST, the REST API, factory batches, the CLI) gets the same.
 *
 * <p>A token that stops answering would otherwise hold each request's thread forever. Here the signature runs on a
 * thread of its own and the request waits at most {@code -Dhallmark.sign.timeoutMs} (30 s by default: a PKCS#11
 * signature takes milliseconds, a network HSM's failover some seconds), then fails UNAVAILABLE (HTTP 503 with
 * Retry-After) before anything is recorded. A native PKCS#11 call cannot be interrupted: its thread stays blocked in
 * the token's library until the call returns, so it is counted as stuck until then, and once
 * {@code -Dhallmark.sign.maxStuck} (4 by default) calls of one vault are stuck, further signatures from that vault fail
 * at once instead of leaving one more thread behind. Threads stuck are at most that many plus the calls already in
 * flight when the vault hung. Keys of other vaults, and the software vault's (plain computation, which cannot hang),
 * are not affected; the software vault's signatures are made on the caller's thread, without a hand-off.
 */
public final class SigningDeadline {

    public static final long DEFAULT_TIMEOUT_MS = 30_000;
    public static final int DEFAULT_MAX_STUCK = 4;

    /** Platform threads: a virtual thread blocked in a native call would pin its carrier, and there are few carriers. */
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("hallmark-vault-sign-", 0).factory());
    private static final Map<String, AtomicInteger> STUCK = new ConcurrentHashMap<>();
    private static final int RUNNING = 0;
    private static final int RETURNED = 1;
    private static final int ABANDONED = 2;

    private SigningDeadline() {
    }

    /** Runs {@code signing} for {@code key}, bounded as described above when the key may hang; else on this thread. */
    static <T> T call(KeyHandle key, Supplier<T> signing) {
        if (!key.mayHang()) {
            return signing.get();
        }
        Duration timeout = Duration.ofMillis(Long.getLong("hallmark.sign.timeoutMs", DEFAULT_TIMEOUT_MS));
        int maxStuck = Integer.getInteger("hallmark.sign.maxStuck", DEFAULT_MAX_STUCK);
        String vault = KeyVaults.schemeOf(key.ref());
        AtomicInteger stuck = STUCK.computeIfAbsent(vault, v -> new AtomicInteger());
        if (stuck.get() >= maxStuck) {
            throw HallmarkException.unavailable("the " + vault + " key vault is not answering (" + stuck.get()
                    + " signatures still waiting on it); nothing was issued, try again later", null);
        }
        AtomicInteger state = new AtomicInteger(RUNNING);
        Future<T> result;
        try {
            result = THREADS.submit(() -> {
                try {
                    return signing.get();
                } finally {
                    // The call came back; if its caller had given up on it, its thread no longer counts against the vault.
                    if (!state.compareAndSet(RUNNING, RETURNED)) stuck.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            throw HallmarkException.unavailable("cannot start a signature: " + e.getMessage(), e);
        }
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon(result, state, stuck);
            throw HallmarkException.unavailable("the " + vault + " key vault did not sign within " + timeout.toMillis() / 1000.0
                    + " s; nothing was issued, try again later", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(result, state, stuck);
            throw HallmarkException.unavailable("interrupted while the " + vault + " key vault signed; nothing was issued", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "signing failed: " + e.getCause(), e.getCause());
        }
    }

    /** The caller gives up on the call; if it is still running it counts as stuck until it returns. */
    private static void abandon(Future<?> result, AtomicInteger state, AtomicInteger stuck) {
        // One of the two wins: the call returned first (not stuck), or it is abandoned first and its return undoes the count.
        if (state.compareAndSet(RUNNING, ABANDONED)) stuck.incrementAndGet();
        result.cancel(true); // interrupts Java code waiting interruptibly; a native call ignores it
    }

    /** Signatures of {@code vaultScheme} that timed out and have not returned yet (for tests and metrics). */
    public static int stuck(String vaultScheme) {
        AtomicInteger n = STUCK.get(vaultScheme);
        return n == null ? 0 : n.get();
    }
}
