package io.hallmark.core.revoke;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The background work a serving node needs for revocation: poll the store's revocation sequence every
 * second (so OCSP and CRLs reflect revocations made on other nodes), re-sign CRLs that are due every
 * minute, and rotate OCSP responder certificates before they expire. One daemon thread; a failing run
 * is logged and retried at the next tick. Start it once per server; close it on shutdown.
 */
public final class RevocationScheduler implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RevocationScheduler.class.getName());

    private final OcspResponder ocsp;
    private final CrlPublisher crls;
    private ScheduledExecutorService executor;

    public RevocationScheduler(OcspResponder ocsp, CrlPublisher crls) {
        this.ocsp = ocsp;
        this.crls = crls;
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
        executor.scheduleWithFixedDelay(guard("poll", () -> {
            ocsp.poll();
            crls.poll();
        }), 1, 1, TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(guard("crl refresh", crls::refreshDue), 30, 60, TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(guard("ocsp responder rotation", ocsp::rotateSigners), 5, 600, TimeUnit.SECONDS);
        return this;
    }

    private static Runnable guard(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "revocation " + what + " failed; retrying at the next tick", e);
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
