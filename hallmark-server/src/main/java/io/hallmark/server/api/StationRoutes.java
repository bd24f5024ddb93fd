package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.core.station.StationCredentials;
import io.hallmark.core.station.StationSpec;
import io.hallmark.core.store.StationRecord;
import io.hallmark.server.http.Router;

import java.time.Instant;
import java.util.List;

import static io.hallmark.server.api.ApiEndpoints.BASE;
import static io.hallmark.server.api.ApiEndpoints.json;
import static io.hallmark.server.api.ApiEndpoints.jsonBody;

/** Factory stations ('hallmark station create/list'): their rights, quota and issued count. */
final class StationRoutes {

    private final Hallmark hallmark;
    private final ApiAuth auth;

    StationRoutes(Hallmark hallmark, ApiAuth auth) {
        this.hallmark = hallmark;
        this.auth = auth;
    }

    void register(Router router) {
        router.add("GET", BASE + "/stations", x -> {
            auth.require(x, Permission.READ);
            json(x, 200, hallmark.stations().list());
        });
        router.add("GET", BASE + "/stations/{name}", x -> {
            auth.require(x, Permission.READ);
            json(x, 200, hallmark.stations().get(x.param("name")));
        });
        // Creating a station creates a credential: admin only. The station's own CSR is required, so that no
        // private key ever travels in an HTTP answer (the CLI may generate one, writing it to a local file).
        router.add("POST", BASE + "/stations", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            StationRequest r = jsonBody(x, StationRequest.class);
            if (r.name() == null || r.cas() == null || r.cas().isEmpty() || r.profiles() == null || r.profiles().isEmpty() || r.csr() == null) {
                throw HallmarkException.badInput("'name', 'cas', 'profiles' and 'csr' (the station's PKCS#10, PEM or base64 DER) are required");
            }
            var spec = new StationSpec(r.name(), r.site(), r.productLine(), r.cas(), r.profiles(), r.quota(), instant(r.validFrom(), "validFrom"),
                    instant(r.validUntil(), "validUntil"), r.clientCa() == null ? "clients-ca" : r.clientCa());
            StationCredentials c = hallmark.stations().create(spec, ApiEndpoints.csrBytes(r.csr()), who.actor());
            StringBuilder chain = new StringBuilder();
            c.chain().forEach(ca -> chain.append(Pem.certificate(ca.certificate())));
            json(x, 201, new Created(c.station(), Pem.certificate(c.certificate()), chain.toString()));
        });
        // Changing a station changes what it may issue: admin only, as creating one ('hallmark station disable|enable|quota').
        router.add("POST", BASE + "/stations/{name}/disable", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            json(x, 200, hallmark.stations().disable(x.param("name"), who.actor()));
        });
        router.add("POST", BASE + "/stations/{name}/enable", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            json(x, 200, hallmark.stations().enable(x.param("name"), who.actor()));
        });
        router.add("PUT", BASE + "/stations/{name}/quota", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            QuotaRequest r = jsonBody(x, QuotaRequest.class);
            boolean unlimited = Boolean.TRUE.equals(r.unlimited());
            if ((r.quota() == null) == !unlimited) {
                throw HallmarkException.badInput("give either 'quota' (0 or more) or \"unlimited\": true");
            }
            json(x, 200, hallmark.stations().setQuota(x.param("name"), unlimited ? null : r.quota(), who.actor()));
        });
    }

    /** Body of PUT /stations/{name}/quota: the new quota, or null for none. Required, so that an empty body changes nothing. */
    record QuotaRequest(Long quota, Boolean unlimited) {
    }

    record StationRequest(String name, String site, String productLine, List<String> cas, List<String> profiles, Long quota,
                          String validFrom, String validUntil, String clientCa, String csr) {
    }

    record Created(StationRecord station, String pem, String chain) {
    }

    static Instant instant(String text, String field) {
        if (text == null) return null;
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw HallmarkException.badInput("'" + field + "' must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }
}
