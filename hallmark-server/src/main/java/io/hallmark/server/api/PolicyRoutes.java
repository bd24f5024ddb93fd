package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.migrate.DeviceGroup;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.core.profile.Validity;
import io.hallmark.server.http.Router;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.hallmark.server.api.ApiEndpoints.BASE;
import static io.hallmark.server.api.ApiEndpoints.json;
import static io.hallmark.server.api.ApiEndpoints.jsonBody;

/**
 * Key migration policies ('hallmark policy migrate/list/remove'). Reading is for every reader; changing is admin only,
 * like the other shared configuration, since a policy decides what every node issues.
 */
final class PolicyRoutes {

    private final Hallmark hallmark;
    private final ApiAuth auth;

    PolicyRoutes(Hallmark hallmark, ApiAuth auth) {
        this.hallmark = hallmark;
        this.auth = auth;
    }

    void register(Router router) {
        router.add("GET", BASE + "/policies", x -> {
            auth.require(x, Permission.READ);
            json(x, 200, hallmark.migrations().list());
        });
        router.add("POST", BASE + "/policies", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            PolicyRequest r = jsonBody(x, PolicyRequest.class);
            if (r.toCa() == null || r.toAlgorithm() == null) throw HallmarkException.badInput("'toCa' and 'toAlgorithm' are required");
            Duration grace = r.grace() == null || r.grace().strip().equals("0") ? Duration.ZERO : Validity.parseDuration(r.grace());
            json(x, 201, hallmark.migrations().set(group(r), r.toCa(), r.toProfile(), r.toAlgorithm(), grace, who.actor()));
        });
        router.add("DELETE", BASE + "/policies/{id}", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            long id;
            try {
                id = Long.parseLong(x.param("id"));
            } catch (NumberFormatException e) {
                throw HallmarkException.badInput("a policy id is a number");
            }
            hallmark.migrations().remove(id, who.actor());
            json(x, 200, Map.of("removed", id));
        });
    }

    /** Exactly one of label, profile, ca, devices. */
    private static DeviceGroup group(PolicyRequest r) {
        int given = (r.label() != null ? 1 : 0) + (r.profile() != null ? 1 : 0) + (r.ca() != null ? 1 : 0) + (r.devices() != null ? 1 : 0);
        if (given != 1) throw HallmarkException.badInput("name exactly one group: 'label', 'profile', 'ca' or 'devices'");
        if (r.label() != null) return new DeviceGroup.Label(r.label());
        if (r.profile() != null) return new DeviceGroup.Profile(r.profile());
        if (r.ca() != null) return new DeviceGroup.Ca(r.ca());
        return new DeviceGroup.Devices(r.devices());
    }

    record PolicyRequest(String label, String profile, String ca, List<String> devices, String toCa, String toProfile, String toAlgorithm,
                         String grace) {
    }
}
