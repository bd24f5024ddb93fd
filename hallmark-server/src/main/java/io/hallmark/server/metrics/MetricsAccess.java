package io.hallmark.server.metrics;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.Store;

import java.time.Instant;
import java.util.Locale;

/** Who may scrape /metrics ({@link MetricsEndpoint}); shared configuration, audited when changed. */
public enum MetricsAccess {
    OPEN, TOKEN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MetricsAccess parse(String text) {
        for (MetricsAccess a : values()) {
            if (a.id().equals(text)) return a;
        }
        throw HallmarkException.badInput("metrics access is 'open' or 'token', not '" + text + "'");
    }

    public static MetricsAccess read(Store store) {
        return store.read(tx -> tx.config().get(MetricsEndpoint.CONFIG_KEY)).map(j -> parse(j.replace("\"", "").trim())).orElse(OPEN);
    }

    public static void set(Store store, MetricsAccess access, String actor, Instant at) {
        store.run(tx -> {
            tx.config().put(MetricsEndpoint.CONFIG_KEY, "\"" + access.id() + "\"");
            tx.audit().append(actor, AuditEvent.of("config.set", MetricsEndpoint.CONFIG_KEY, "value", access.id()), at);
        });
    }
}
