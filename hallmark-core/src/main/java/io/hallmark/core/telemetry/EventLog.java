package io.hallmark.core.telemetry;

import io.hallmark.core.store.Event;
import io.hallmark.core.store.EventType;
import io.hallmark.core.store.Store;

import java.time.Clock;

/**
 * Records events that have no transaction of their own to ride in (a refused enrollment, a refused API call,
 * an authentication reported by a broker). Events that accompany a change (an issuance, a revocation, a CRL)
 * are written in that change's transaction instead, so neither exists without the other.
 * <p>
 * A failure to record is logged, never thrown: telemetry must not turn a refusal into a 500 or an enrollment
 * that committed into an error.
 */
public final class EventLog {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    private final Store store;
    private final Clock clock;

    public EventLog(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void record(EventType type, String device, String subject, String result, String detail) {
        record(new Event(clock.instant(), type, device, subject, result, detail, 1));
    }

    public void record(Event event) {
        try {
            store.run(tx -> tx.events().append(event));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not record a " + event.type().id() + " event: " + e.getMessage());
        }
    }
}
