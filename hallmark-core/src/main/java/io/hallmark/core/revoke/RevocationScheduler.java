package io.hallmark.core.revoke;

import io.hallmark.core.store.SharedConfig;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The background work a serving node needs: poll the store's configuration and revocation sequences every
 * second (so cached configuration, OCSP and CRLs reflect changes and revocations made on other nodes),
 * re-sign CRLs that are due every second on the node that signs them ({@code signs}: the holder of the jobs
 * lease; cheap when nothing is due), and rotate OCSP responder certificates before they expire (on every node:
 * each keeps the responder it signs with in memory, and the store's per-CA lock makes rotations on several nodes
 * agree on one successor). One daemon thread; a failing run is logged and retried at the next tick. Start it
 * once per server; close it on shutdown.
 */
public final class RevocationScheduler implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RevocationScheduler.class.getName());

    private final OcspResponder ocsp;
    private final CrlPublisher crls;
    private final SharedConfig config;
    private final java.util.function.BooleanSupplier signs;
    private ScheduledExecutorService executor;

    public RevocationScheduler(OcspResponder ocsp, CrlPublisher crls, SharedConfig config) {
        this(ocsp, crls, config, () -> true);
    }

    public RevocationScheduler(OcspResponder ocsp, CrlPublisher crls, SharedConfig config, java.util.function.BooleanSupplier signs) {
        this.ocsp = ocsp;
        this.crls = crls;
        this.config = config;
        this.signs = signs;
    }

    public synchronized RevocationScheduler start() {
        if (executor != null) {
            return this;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hallmark-revocation");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(guard("configuration poll", config::poll), 1, 1, TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(guard("revocation poll", () -> {
            ocsp.poll();
            crls.poll();
        }), 1, 1, TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(guard("CRL refresh", () -> {
            if (signs.getAsBoolean()) crls.refreshDue();
        }), 1, 1, TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(guard("OCSP responder rotation", ocsp::rotateSigners), 5, 600, TimeUnit.SECONDS);
        return this;
    }

    /**
     * Adds periodic work to this one thread (the events purge, metric gauges): a server runs one scheduler,
     * so such tasks never run twice at once.
     */
    public synchronized void every(String what, long initialSeconds, long periodSeconds, Runnable task) {
        if (executor == null) {
            throw new IllegalStateException("the scheduler is not started");
        }
        executor.scheduleWithFixedDelay(guard(what, task), initialSeconds, periodSeconds, TimeUnit.SECONDS);
    }

    private static Runnable guard(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, what + " failed; retrying at the next tick", e);
            }
        };
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
