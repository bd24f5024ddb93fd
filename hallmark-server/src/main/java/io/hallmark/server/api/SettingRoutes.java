package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.inventory.Inventory;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.server.http.Router;

import java.util.List;
import java.util.Map;

import static io.hallmark.server.api.ApiEndpoints.BASE;
import static io.hallmark.server.api.ApiEndpoints.json;
import static io.hallmark.server.api.ApiEndpoints.jsonBody;

/**
 * The CLI's remaining changes over the API: shared settings ('hallmark events retention', 'inventory
 * deprecate|undeprecate'; 'metrics access' is served by the metrics package), one-time enrollment tokens ('token enroll') and re-provisioning a device
 * ('factory reprovision'). Settings are read by every reader and changed by admins, as EST labels and publication;
 * re-provisioning revokes a certificate, so it takes the revoke permission.
 */
final class SettingRoutes {

    private final Hallmark hallmark;
    private final ApiAuth auth;
    private final Inventory inventory;

    SettingRoutes(Hallmark hallmark, ApiAuth auth) {
        this.hallmark = hallmark;
        this.auth = auth;
        this.inventory = new Inventory(hallmark.store(), hallmark.clock(), hallmark::profiles);
    }

    void register(Router router) {
        router.add("GET", BASE + "/events/retention", x -> {
            auth.require(x, Permission.READ);
            json(x, 200, retention(hallmark.eventRetention().current()));
        });
        router.add("PUT", BASE + "/events/retention", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            Retention r = jsonBody(x, Retention.class);
            if (r.retention() == null) throw HallmarkException.badInput("'retention' is required, e.g. {\"retention\": \"30d\"}");
            json(x, 200, retention(hallmark.eventRetention().set(r.retention(), who.actor())));
        });
        router.add("GET", BASE + "/inventory/deprecated", x -> {
            auth.require(x, Permission.READ);
            json(x, 200, new Deprecated(inventory.deprecated()));
        });
        router.add("POST", BASE + "/inventory/deprecated", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            Algorithm r = jsonBody(x, Algorithm.class);
            if (r.algorithm() == null) throw HallmarkException.badInput("'algorithm' is required, e.g. {\"algorithm\": \"rsa-2048\"}");
            json(x, 200, new Deprecated(inventory.deprecate(r.algorithm(), who.actor())));
        });
        router.add("DELETE", BASE + "/inventory/deprecated/{algorithm}", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            json(x, 200, new Deprecated(inventory.undeprecate(x.param("algorithm"), who.actor())));
        });
        router.add("POST", BASE + "/tokens/enroll", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            EnrollToken r = jsonBody(x, EnrollToken.class);
            if (r.device() == null || r.device().isBlank()) throw HallmarkException.badInput("'device' (the device's serial number) is required");
            String token = hallmark.credentials().createEnrollmentToken(r.device(), Validity.parseDuration(r.ttl() == null ? "24h" : r.ttl()), who.actor());
            json(x, 201, Map.of("device", r.device(), "token", token));
        });
        router.add("POST", BASE + "/devices/{id}/reprovision", x -> {
            Principal who = auth.require(x, Permission.REVOKE);
            Reprovision r = jsonBody(x, Reprovision.class);
            if (r.reason() == null || r.reason().isBlank()) throw HallmarkException.badInput("'reason' is required: why, for the audit log");
            String profile = r.profile() == null ? "idevid" : r.profile();
            String serial = hallmark.factory().reprovision(x.param("id"), profile, r.reason(), RevocationReason.superseded, who.actor());
            json(x, 200, new Reprovisioned(x.param("id"), profile, serial));
        });
    }

    private static Map<String, String> retention(java.time.Duration d) {
        return Map.of("retention", d.toDays() + "d");
    }

    record Retention(String retention) {
    }

    record Algorithm(String algorithm) {
    }

    record Deprecated(List<String> deprecated) {
    }

    record EnrollToken(String device, String ttl) {
    }

    record Reprovision(String profile, String reason) {
    }

    record Reprovisioned(String device, String profile, String revokedSerial) {
    }
}
