package io.hallmark.core.revoke;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads and changes the {@link Publication} setting. Issuance reads it for every certificate, so it is
 * kept for a few seconds rather than read from the store each time; a change made on another node is
 * seen within that delay.
 */
public final class PublicationSettings {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Duration KEEP = Duration.ofSeconds(5);

    private final Store store;
    private final Clock clock;
    private volatile Publication cached;
    private volatile Instant cachedAt = Instant.MIN;

    public PublicationSettings(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Publication current() {
        Instant now = clock.instant();
        Publication p = cached;
        if (p == null || now.isAfter(cachedAt.plus(KEEP)) || now.isBefore(cachedAt)) {
            p = store.inTransaction(tx -> tx.config().get(Publication.CONFIG_KEY)).map(PublicationSettings::parse).orElse(Publication.NONE);
            cached = p;
            cachedAt = now;
        }
        return p;
    }

    /** Stores a new setting, audited; takes effect for certificates issued from now on. */
    public Publication set(Publication publication, String actor) {
        String json = toJson(publication);
        store.run(tx -> {
            Publication old = tx.config().get(Publication.CONFIG_KEY).map(PublicationSettings::parse).orElse(Publication.NONE);
            for (var e : old.partitions().entrySet()) {
                // Issued certificates keep the partition they were given; fewer partitions would orphan some.
                if (publication.partitionsOf(e.getKey()) < e.getValue()) {
                    throw HallmarkException.badInput("CA " + e.getKey() + " has " + e.getValue() + " CRL partitions; the count can grow but not shrink");
                }
            }
            tx.config().put(Publication.CONFIG_KEY, json);
            tx.audit().append(actor, AuditEvent.of("config.set", Publication.CONFIG_KEY, "value", json), clock.instant());
        });
        cached = publication;
        cachedAt = clock.instant();
        return publication;
    }

    public static Publication parse(String json) {
        try {
            return JSON.readValue(json, Publication.class);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof HallmarkException h) throw h;
            throw HallmarkException.badInput("publication setting: " + e.getOriginalMessage());
        } catch (Exception e) {
            String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw HallmarkException.badInput("publication setting is not valid JSON of the expected form: " + m);
        }
    }

    public static String toJson(Publication p) {
        try {
            return JSON.writeValueAsString(p);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
