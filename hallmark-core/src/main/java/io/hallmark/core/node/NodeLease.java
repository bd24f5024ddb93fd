package io.hallmark.core.node;

import io.hallmark.core.store.Lease;
import io.hallmark.core.store.Store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * This node's claim on the lease that decides which node runs the work that must run once (CRL signing, the events
 * purge, audit checkpoints): tried at start, then renewed every {@link #RENEW} on a thread of its own, so slow work
 * elsewhere never delays a renewal. A node that stops renewing (it died, or lost the database) loses the lease when
 * {@link #TTL} has passed by the database's clock, and another node takes it at its next renewal: within
 * {@code TTL + RENEW}, 8 s.
 *
 * <p>{@link #held()} is judged locally and errs on the safe side: the lease counts as held only until TTL minus a
 * margin after the moment the renewing statement was sent, which is before the database stamped its expiry. So this
 * node stops running the work before any other node can take the lease, unless its clock runs more than the margin
 * slow over six seconds.
 */
public final class NodeLease implements AutoCloseable, BooleanSupplier {

    /** The one lease of the periodic work that must run once. */
    public static final String JOBS = "jobs";
    public static final Duration TTL = Duration.ofSeconds(6);
    public static final Duration RENEW = Duration.ofSeconds(2);
    private static final Duration MARGIN = Duration.ofMillis(500);
    private static final System.Logger LOG = System.getLogger(NodeLease.class.getName());

    private final Store store;
    private final String nodeId;
    private final String name;
    private volatile long heldUntilNanos = System.nanoTime();
    private volatile boolean held;
    private volatile String holder;
    private ScheduledExecutorService executor;

    public NodeLease(Store store, String nodeId) {
        this(store, nodeId, JOBS);
    }

    public NodeLease(Store store, String nodeId, String name) {
        this.store = store;
        this.nodeId = nodeId;
        this.name = name;
    }

    /** Tries once at once (a single node then holds it before it serves), then every {@link #RENEW}. */
    public synchronized NodeLease start() {
        if (executor != null) return this;
        renew();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hallmark-lease");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::renew, RENEW.toMillis(), RENEW.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Takes or renews the lease once; what the renewal thread runs. */
    public void renew() {
        long sent = System.nanoTime();
        boolean won;
        try {
            won = store.inTransaction(tx -> tx.leases().acquire(name, nodeId, TTL));
        } catch (RuntimeException e) {
            // The database is away: keep what is still locally valid, so a blip shorter than the TTL changes nothing.
            LOG.log(System.Logger.Level.WARNING, "node " + nodeId + ": cannot renew the " + name + " lease: " + e.getMessage());
            noteHeld(held && System.nanoTime() - heldUntilNanos < 0);
            return;
        }
        if (won) {
            heldUntilNanos = sent + TTL.minus(MARGIN).toNanos();
            holder = nodeId;
        } else {
            try {
                holder = store.read(tx -> tx.leases().find(name)).map(Lease::holder).orElse(null);
            } catch (RuntimeException e) {
                holder = null;
            }
        }
        noteHeld(won);
    }

    private void noteHeld(boolean now) {
        if (now != held) {
            LOG.log(System.Logger.Level.INFO, "node " + nodeId + (now ? " now holds" : " no longer holds") + " the " + name + " lease"
                    + (now || holder == null ? "" : " (held by " + holder + ")"));
        }
        held = now;
    }

    /** Whether this node holds the lease now: it may run the work that must run once. */
    public boolean held() {
        return held && System.nanoTime() - heldUntilNanos < 0;
    }

    @Override
    public boolean getAsBoolean() {
        return held();
    }

    /** Wraps work that must run on one node only: it runs when this node holds the lease, else does nothing. */
    public Runnable onlyHere(Runnable task) {
        return () -> {
            if (held()) task.run();
        };
    }

    public String nodeId() {
        return nodeId;
    }

    public String name() {
        return name;
    }

    /** The holder as this node last saw it (itself, another node's id), empty if unknown; read from memory. */
    public Optional<String> holder() {
        return held() ? Optional.of(nodeId) : Optional.ofNullable(holder);
    }

    /** Stops renewing without letting the lease go, as a node that dies does: another node takes it after the TTL. */
    public synchronized void halt() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
        held = false;
    }

    /** Stops renewing and lets the lease go, so another node takes it at its next renewal rather than after the TTL. */
    @Override
    public synchronized void close() {
        boolean had = executor != null;
        halt();
        if (had) {
            try {
                store.run(tx -> tx.leases().release(name, nodeId));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "node " + nodeId + ": cannot release the " + name + " lease; it expires in " + TTL.toSeconds() + " s");
            }
        }
    }
}
