package io.hallmark.server.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.Hallmark;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.server.api.ApiAuth;
import io.hallmark.server.http.Exchange;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.JsonBody;
import io.hallmark.server.http.Router;

import java.util.Map;

/**
 * {@code GET|PUT /api/v1/metrics/access} ('hallmark metrics access'): read by every reader, changed by admins, as the
 * API's other shared settings. Here rather than in the API's package because the setting is this package's.
 */
final class MetricsAccessRoutes {

    private static final String PATH = "/api/v1/metrics/access";
    private static final int MAX_JSON = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Hallmark hallmark;
    private final ApiAuth auth;

    MetricsAccessRoutes(Hallmark hallmark, ApiAuth auth) {
        this.hallmark = hallmark;
        this.auth = auth;
    }

    void register(Router router) {
        router.add("GET", PATH, x -> {
            auth.require(x, Permission.READ);
            answer(x);
        });
        router.add("PUT", PATH, x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            Request r = JsonBody.read(JSON, x.header("Content-Type"), x.body(MAX_JSON), Request.class);
            if (r.access() == null) throw HallmarkException.badInput("'access' is required: \"open\" or \"token\"");
            MetricsAccess.set(hallmark.store(), MetricsAccess.parse(r.access()), who.actor(), hallmark.clock().instant());
            answer(x);
        });
    }

    private void answer(Exchange x) throws Exception {
        x.send(200, "application/json", JSON.writeValueAsBytes(Map.of("access", MetricsAccess.read(hallmark.store()).id())));
    }

    record Request(String access) {
    }
}
