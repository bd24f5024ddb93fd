package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.issue.RequestedNames;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.report.CertificateSummary;
import io.hallmark.core.revoke.Revoker;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.server.http.Router;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.hallmark.server.api.ApiEndpoints.BASE;
import static io.hallmark.server.api.ApiEndpoints.JSON;
import static io.hallmark.server.api.ApiEndpoints.json;
import static io.hallmark.server.api.ApiEndpoints.jsonBody;

/** Issuance from a CSR ('hallmark issue --csr') and revoking a whole device ('hallmark revoke --device'). */
final class IssuanceRoutes {

    private final Hallmark hallmark;
    private final ApiAuth auth;

    IssuanceRoutes(Hallmark hallmark, ApiAuth auth) {
        this.hallmark = hallmark;
        this.auth = auth;
    }

    void register(Router router) {
        // The one issuance pipeline, as the CLI uses it; a replay (same CSR key, same device) returns the
        // certificate issued before: 200 instead of 201, nothing new stored.
        router.add("POST", BASE + "/certificates", x -> {
            Principal who = auth.require(x, Permission.ISSUE);
            IssueRequest r = jsonBody(x, IssueRequest.class);
            if (r.ca() == null || r.profile() == null || r.csr() == null) {
                throw HallmarkException.badInput("'ca', 'profile' and 'csr' (PEM, or base64 DER) are required");
            }
            HardwareModuleName hw = r.hwType() == null && r.hwSerial() == null ? null : HardwareModuleName.parse(r.hwType(), r.hwSerial());
            IssuedCertificate issued = hallmark.issuer().issue(new IssuanceRequest(r.ca(), r.profile(), ApiEndpoints.csrBytes(r.csr()),
                    r.serialNumber(), hw, who.actor(), RequestedNames.parse(r.dns(), r.ip(), "dns", "ip")));
            Map<String, Object> body = new LinkedHashMap<>(JSON.convertValue(CertificateSummary.of(issued.certificate(), hallmark.clock().instant()), Map.class));
            body.put("replayed", issued.replayed());
            body.put("pem", Pem.certificate(issued.certificate().der()));
            StringBuilder chain = new StringBuilder();
            issued.chain().forEach(ca -> chain.append(Pem.certificate(ca.certificate())));
            body.put("chain", chain.toString());
            json(x, issued.replayed() ? 200 : 201, body);
        });
        router.add("POST", BASE + "/devices/{id}/revoke", x -> {
            Principal who = auth.require(x, Permission.REVOKE);
            ApiEndpoints.RevokeRequest request = jsonBody(x, ApiEndpoints.RevokeRequest.class);
            if (request.reason() == null) throw HallmarkException.badInput("'reason' is required, e.g. {\"reason\": \"keyCompromise\"}");
            Instant invalidity = request.invalidityDate() == null ? null : ApiEndpoints.parseInstant(request.invalidityDate());
            Revoker.DeviceOutcome out = hallmark.revoker().revokeDevice(x.param("id"), RevocationReason.parse(request.reason()), invalidity, who.actor());
            Instant now = hallmark.clock().instant();
            json(x, 200, new DeviceRevoked(out.deviceId(), out.blocked(), out.revoked().stream().map(c -> CertificateSummary.of(c, now)).toList()));
        });
    }

    /**
     * A CSR to sign: the CA and profile, the device's serial number and hardwareModuleName when the profile wants them,
     * DNS names and IP addresses for profiles whose subjectAltNames allow them (a broker's server certificate).
     */
    record IssueRequest(String ca, String profile, String csr, String serialNumber, String hwType, String hwSerial, List<String> dns, List<String> ip) {
    }

    record DeviceRevoked(String device, boolean blocked, List<CertificateSummary> revoked) {
    }
}
