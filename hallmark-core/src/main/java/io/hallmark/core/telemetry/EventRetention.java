package io.hallmark.core.telemetry;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How long events are kept (shared configuration {@value #CONFIG_KEY}, default 90 days) and the purge that
 * enforces it. The database lets events be deleted only below a watermark that only moves forward
 * (migration V9), so the purge is the one deletion possible and it cannot reach recent events.
 */
public final class EventRetention {

    public static final String CONFIG_KEY = "events.retention";
    public static final Duration DEFAULT = Duration.ofDays(90);
    /** A floor, so a typo ("90s") cannot wipe the events of the last days at the next purge. */
    public static final Duration MINIMUM = Duration.ofDays(1);

    private final Store store;
    private final Clock clock;

    public EventRetention(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Duration current() {
        return store.read(tx -> tx.config().get(CONFIG_KEY)).map(EventRetention::fromJson).orElse(DEFAULT);
    }

    /** @throws HallmarkException BAD_INPUT below {@link #MINIMUM} or unreadable */
    public Duration set(String text, String actor) {
        Duration d;
        try {
            d = Validity.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw HallmarkException.badInput("retention: " + e.getMessage());
        }
        if (d.compareTo(MINIMUM) < 0) {
            throw HallmarkException.badInput("retention must be at least 1d, not " + text);
        }
        store.run(tx -> {
            tx.config().put(CONFIG_KEY, "\"" + text + "\"");
            tx.audit().append(actor, AuditEvent.of("config.set", CONFIG_KEY, "value", text), clock.instant());
        });
        return d;
    }

    /** Deletes the events older than the retention; returns how many. */
    public long purge() {
        Instant before = clock.instant().minus(current());
        return store.inTransaction(tx -> tx.events().purgeBefore(before));
    }

    private static Duration fromJson(String json) {
        return Validity.parseDuration(json.replace("\"", "").trim());
    }
}
