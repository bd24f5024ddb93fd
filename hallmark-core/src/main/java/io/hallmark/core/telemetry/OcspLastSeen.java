package io.hallmark.core.telemetry;

import io.hallmark.core.revoke.OcspResponder;
import io.hallmark.core.store.Store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Moves the last seen of devices whose certificates OCSP was asked about. The responder only gathers the serials in
 * memory; this writes them on the scheduler ({@link #EVERY_SECONDS}), {@link #BATCH} serials per transaction, so the
 * answering path never writes and a busy node writes at most one batch per device per interval. A failure is logged,
 * never thrown: telemetry must not stop the scheduler.
 */
public final class OcspLastSeen {

    /** How often gathered serials are written: the precision of a last seen that comes from OCSP. */
    public static final int EVERY_SECONDS = 15;
    static final int BATCH = 1_000;
    private static final System.Logger LOG = System.getLogger(OcspLastSeen.class.getName());

    private final OcspResponder ocsp;
    private final Store store;
    private final Clock clock;

    public OcspLastSeen(OcspResponder ocsp, Store store, Clock clock) {
        this.ocsp = ocsp;
        this.store = store;
        this.clock = clock;
    }

    /** Writes what was gathered since the last call; returns how many serials were written. */
    public synchronized int flush() {
        Set<String> serials = ocsp.drainQueried();
        if (serials.isEmpty()) return 0;
        var at = clock.instant();
        List<String> all = new ArrayList<>(new java.util.TreeSet<>(serials));
        try {
            for (int i = 0; i < all.size(); i += BATCH) {
                List<String> batch = all.subList(i, Math.min(all.size(), i + BATCH));
                store.run(tx -> tx.events().seenBySerial(batch, at));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not record the last seen of devices queried over OCSP: " + e.getMessage());
        }
        return all.size();
    }
}
