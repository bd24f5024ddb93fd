package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.matter.MatterId;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.core.report.CertificateSummary;
import io.hallmark.server.http.Router;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.hallmark.server.api.ApiEndpoints.BASE;
import static io.hallmark.server.api.ApiEndpoints.json;
import static io.hallmark.server.api.ApiEndpoints.jsonBody;

/**
 * 'hallmark matter dac': a Device Attestation Certificate under a PAI from the device's CSR. Issuance like
 * {@code POST /certificates} (the issue permission); the same device and key again is answered with the DAC issued before.
 */
final class MatterDacRoutes {

    private final Hallmark hallmark;
    private final ApiAuth auth;

    MatterDacRoutes(Hallmark hallmark, ApiAuth auth) {
        this.hallmark = hallmark;
        this.auth = auth;
    }

    void register(Router router) {
        router.add("POST", BASE + "/matter/pais/{pai}/dacs", x -> {
            Principal who = auth.require(x, Permission.ISSUE);
            DacRequest r = jsonBody(x, DacRequest.class);
            if (r.vid() == null || r.pid() == null || r.csr() == null) {
                throw HallmarkException.badInput("'vid' and 'pid' (16-bit hex) and 'csr' (PEM, or base64 DER) are required");
            }
            IssuedCertificate issued = hallmark.matterAttestation().issueDac(x.param("pai"), ApiEndpoints.csrBytes(r.csr()),
                    MatterId.parse16(r.vid(), "vid"), MatterId.parse16(r.pid(), "pid"), r.serialNumber(), who.actor());
            Map<String, Object> body = new LinkedHashMap<>(ApiEndpoints.JSON.convertValue(
                    CertificateSummary.of(issued.certificate(), hallmark.clock().instant()), Map.class));
            body.put("replayed", issued.replayed());
            body.put("pem", Pem.certificate(issued.certificate().der()));
            StringBuilder chain = new StringBuilder();
            issued.chain().forEach(ca -> chain.append(Pem.certificate(ca.certificate())));
            body.put("chain", chain.toString());
            json(x, issued.replayed() ? 200 : 201, body);
        });
    }

    record DacRequest(String vid, String pid, String csr, String serialNumber) {
    }
}
