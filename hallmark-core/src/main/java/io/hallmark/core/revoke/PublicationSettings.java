package io.hallmark.core.revoke;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.store.SharedConfig;
import io.hallmark.core.store.Store;

import java.time.Clock;

/**
 * Reads and changes the {@link Publication} setting. Issuance reads it for every certificate, so it is kept
 * in memory and read again only when the configuration sequence moved: a change on this node is in force as
 * soon as it commits, one on another node once this node has polled the sequence (within a second on a
 * serving node).
 */
public final class PublicationSettings {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Store store;
    private final Clock clock;
    private final SharedConfig.Cached<Publication> current;

    public PublicationSettings(Store store, SharedConfig config, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.current = config.cache(tx -> tx.config().get(Publication.CONFIG_KEY).map(PublicationSettings::parse).orElse(Publication.NONE));
    }

    public Publication current() {
        return current.get();
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
