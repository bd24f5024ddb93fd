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
 * API credentials ('hallmark token create/list/revoke', 'operator create'): tokens and registered operator certificates. All admin
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
        // 'hallmark operator create' from the operator's own CSR: no private key travels over the API. Name and role are
        // checked before the certificate is issued, so a refused request stores nothing.
        router.add("POST", BASE + "/operators", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            OperatorRequest r = jsonBody(x, OperatorRequest.class);
            if (r.name() == null || !r.name().matches("[A-Za-z0-9._-]{1,64}") || r.role() == null || r.csr() == null) {
                throw HallmarkException.badInput("'name' (letters, digits, '.', '_', '-'), 'role' and 'csr' (the operator's PKCS#10, PEM or base64 DER) are required");
            }
            Role role = Role.parse(r.role());
            var issued = hallmark.issuer().issue(new io.hallmark.core.issue.IssuanceRequest("clients-ca", "client", ApiEndpoints.csrBytes(r.csr()),
                    null, null, who.actor()));
            Principal registered = hallmark.credentials().registerCertificate(io.hallmark.core.crypto.Pem.x509(issued.certificate().der()), role,
                    r.name(), who.actor());
            StringBuilder chain = new StringBuilder();
            issued.chain().forEach(ca -> chain.append(io.hallmark.core.crypto.Pem.certificate(ca.certificate())));
            json(x, 201, new OperatorCreated(CredentialView.of(registered, hallmark.clock().instant()),
                    io.hallmark.core.crypto.Pem.certificate(issued.certificate().der()), chain.toString()));
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

    record OperatorRequest(String name, String role, String csr) {
    }

    record OperatorCreated(CredentialView credential, String pem, String chain) {
    }
}
