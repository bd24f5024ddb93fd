package io.hallmark.server.metrics;

import io.hallmark.core.Hallmark;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.server.api.ApiAuth;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.Router;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics} on both listeners. Who may scrape is shared configuration {@value #CONFIG_KEY}
 * ({@code hallmark metrics access}): {@code open} (the default: Prometheus scrapes without credentials, as it
 * usually does on an internal network) or {@code token} (HTTPS only, a Bearer token of a role with the metrics
 * permission: admin, operator, auditor, ingest; the plain listener then answers 403, since a token sent over plain
 * HTTP would be readable on the way). Read at each scrape, so a change applies on every node at once.
 */
public final class MetricsEndpoint {

    public static final String CONFIG_KEY = "metrics.access";
    public static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Hallmark hallmark;
    private final HallmarkMetrics metrics;
    private final ApiAuth auth;

    public MetricsEndpoint(Hallmark hallmark, HallmarkMetrics metrics) {
        this(hallmark, metrics, new ApiAuth(hallmark));
    }

    public MetricsEndpoint(Hallmark hallmark, HallmarkMetrics metrics, ApiAuth auth) {
        this.hallmark = hallmark;
        this.metrics = metrics;
        this.auth = auth;
    }

    public void register(Router router) {
        router.add("GET", PATH, x -> {
            if (MetricsAccess.read(hallmark.store()) == MetricsAccess.TOKEN) {
                if (!x.secure()) {
                    throw new HttpError(403, "metrics need a token here (metrics access is 'token'): scrape the HTTPS listener");
                }
                auth.require(x, Permission.METRICS);
            }
            x.send(200, CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8));
        });
        new MetricsAccessRoutes(hallmark, auth).register(router);
    }
}
