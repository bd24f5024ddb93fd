package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.principal.CredentialView;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.core.profile.Validity;
import io.hallmark.server.http.Router;

import java.time.Duration;

import static io.hallmark.server.api.ApiEndpoints.BASE;
import static io.hallmark.server.api.ApiEndpoints.json;
import static io.hallmark.server.api.ApiEndpoints.jsonBody;

/**
 * API credentials ('hallmark token create/list/revoke'): tokens and registered operator certificates. All admin
 * only: whoever can mint a credential can take any role.
 */
final class CredentialRoutes {

    private final Hallmark hallmark;
    private final ApiAuth auth;

    CredentialRoutes(Hallmark hallmark, ApiAuth auth) {
        this.hallmark = hallmark;
        this.auth = auth;
    }

    void register(Router router) {
        router.add("GET", BASE + "/credentials", x -> {
            auth.require(x, Permission.ADMINISTER);
            var now = hallmark.clock().instant();
            json(x, 200, hallmark.credentials().list().stream().map(p -> CredentialView.of(p, now)).toList());
        });
        // The token is in this answer only; the store keeps its hash.
        router.add("POST", BASE + "/tokens", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            TokenRequest r = jsonBody(x, TokenRequest.class);
            if (r.role() == null) throw HallmarkException.badInput("'role' is required (admin, operator, auditor, station, commissioner)");
            Role role = Role.parse(r.role());
            String ttl = r.ttl() == null ? "90d" : r.ttl().strip();
            Duration life = "never".equalsIgnoreCase(ttl) ? null : Validity.parseDuration(ttl);
            String token = hallmark.credentials().createToken(role, r.name(), life, who.actor());
            json(x, 201, new Created(token, role.id(), r.name()));
        });
        router.add("POST", BASE + "/credentials/{id}/revoke", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            Principal revoked = hallmark.credentials().revoke(x.param("id"), who.actor());
            json(x, 200, CredentialView.of(revoked, hallmark.clock().instant()));
        });
    }

    record TokenRequest(String role, String name, String ttl) {
    }

    record Created(String token, String role, String name) {
    }
}
