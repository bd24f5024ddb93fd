package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.core.report.CaSummary;
import io.hallmark.core.report.CertificateSummary;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.Router;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static io.hallmark.server.api.ApiEndpoints.BASE;
import static io.hallmark.server.api.ApiEndpoints.json;
import static io.hallmark.server.api.ApiEndpoints.jsonBody;

/**
 * CAs and profiles: what 'hallmark ca list/show/export/revoke' and the profile listing do. Creating CAs (init,
 * ceremony, rollover, cross-signing) stays on the CLI: those are key-ceremony acts on the machine holding the keys.
 */
final class CaRoutes {

    private final Hallmark hallmark;
    private final ApiAuth auth;

    CaRoutes(Hallmark hallmark, ApiAuth auth) {
        this.hallmark = hallmark;
        this.auth = auth;
    }

    void register(Router router) {
        router.add("GET", BASE + "/cas/{name}", x -> {
            auth.require(x, Permission.READ);
            CertificateAuthority ca = hallmark.cas().get(x.param("name"));
            json(x, 200, CaSummary.of(ca, hallmark.cas().revocation(ca).orElse(null)));
        });
        router.add("GET", BASE + "/cas/{name}/certificate", x -> {
            auth.require(x, Permission.READ);
            String chain = ApiEndpoints.query(x, "chain");
            if (chain != null && !chain.equals("true") && !chain.equals("false")) throw new HttpError(400, "chain must be true or false");
            String pem = "true".equals(chain) ? hallmark.factory().chainPem(x.param("name")) : Pem.certificate(hallmark.cas().get(x.param("name")).certificate());
            x.send(200, "application/pem-certificate-chain", pem.getBytes(StandardCharsets.US_ASCII));
        });
        // A key-ceremony act, so the strongest permission, and the CLI's guard: an explicit confirmation in the body.
        router.add("POST", BASE + "/cas/{name}/revoke", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            CaRevokeRequest request = jsonBody(x, CaRevokeRequest.class);
            if (request.reason() == null) throw HallmarkException.badInput("'reason' is required, e.g. {\"reason\": \"keyCompromise\", \"confirm\": true}");
            RevocationReason reason = RevocationReason.parse(request.reason());
            Instant invalidity = request.invalidityDate() == null ? null : ApiEndpoints.parseInstant(request.invalidityDate());
            CertificateAuthority ca = hallmark.cas().get(x.param("name"));
            if (!Boolean.TRUE.equals(request.confirm())) {
                List<String> below = hallmark.cas().descendants(ca.name()).stream().map(CertificateAuthority::name).toList();
                throw HallmarkException.badInput("revoking CA " + ca.name() + " stops it" + (below.isEmpty() ? "" : " and " + String.join(", ", below)
                        + " below it") + " from issuing, for good; add \"confirm\": true to proceed");
            }
            CertificateRecord revoked = hallmark.revoker().revokeCa(ca.name(), ca.serial(), reason, invalidity, who.actor());
            json(x, 200, CertificateSummary.of(revoked, hallmark.clock().instant()));
        });
        router.add("GET", BASE + "/profiles", x -> {
            auth.require(x, Permission.READ);
            json(x, 200, hallmark.profiles().all());
        });
        router.add("GET", BASE + "/profiles/{name}", x -> {
            auth.require(x, Permission.READ);
            String name = x.param("name");
            json(x, 200, hallmark.profiles().all().stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElseThrow(() -> HallmarkException.notFound("no profile named '" + name + "'")));
        });
    }

    record CaRevokeRequest(String reason, String invalidityDate, Boolean confirm) {
    }
}
