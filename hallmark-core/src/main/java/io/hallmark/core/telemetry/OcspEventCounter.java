package io.hallmark.core.telemetry;

import io.hallmark.core.revoke.OcspResponder;
import io.hallmark.core.store.Event;
import io.hallmark.core.store.EventType;

import java.time.Clock;

/**
 * OCSP queries as events, one row per minute with the minute's count, not one per request: a node answers
 * tens of thousands a second (docs/benchmarks.md), so per-request rows would add 86 million rows a day per
 * busy node and a write per answer to a path that answers from memory without touching the store. A minute
 * with no queries writes nothing. The serials asked about move their devices' last seen through
 * {@link OcspLastSeen}, in batches.
 */
public final class OcspEventCounter {

    private final OcspResponder ocsp;
    private final EventLog events;
    private final Clock clock;
    private OcspResponder.Stats last;

    public OcspEventCounter(OcspResponder ocsp, EventLog events, Clock clock) {
        this.ocsp = ocsp;
        this.events = events;
        this.clock = clock;
        this.last = ocsp.stats();
    }

    /** Called once a minute by the scheduler. */
    public synchronized void flush() {
        OcspResponder.Stats now = ocsp.stats();
        long requests = now.requests() - last.requests();
        long refused = (now.malformed() - last.malformed()) + (now.unauthorized() - last.unauthorized());
        last = now;
        if (requests > 0) {
            events.record(new Event(clock.instant(), EventType.OCSP, null, "ocsp", null,
                    requests + " queries in the last minute, " + refused + " refused", requests));
        }
    }
}
