package io.hallmark.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hallmark.core.Hallmark;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.matter.FabricIds;
import io.hallmark.core.matter.tlv.MatterTlvCertificates;
import io.hallmark.core.report.CaSummary;
import io.hallmark.core.report.CertificateSummary;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.DeviceRecord;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.server.http.Exchange;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.JsonBody;
import io.hallmark.server.http.Router;

import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The REST API, version 1, under {@code /api/v1}. JSON in and out; the OpenAPI document describes it. */
public final class ApiEndpoints {

    static final String BASE = "/api/v1";
    private static final int MAX_JSON = 16 * 1024;
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Hallmark hallmark;
    private final ApiAuth auth;
    private final byte[] openApi;

    public ApiEndpoints(Hallmark hallmark) {
        this(hallmark, new ApiAuth(hallmark));
    }

    /** @param auth how callers are authenticated, and rate-limited (HallmarkServer shares one with /metrics) */
    public ApiEndpoints(Hallmark hallmark, ApiAuth auth) {
        this.hallmark = hallmark;
        this.auth = auth;
        try (InputStream in = ApiEndpoints.class.getResourceAsStream("/io/hallmark/server/openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException("openapi.json missing from the build", e);
        }
    }

    public void register(Router router) {
        router.add("GET", BASE + "/openapi.json", x -> x.send(200, "application/json", openApi));
        router.add("GET", BASE + "/cas", x -> {
            auth.require(x, Permission.READ);
            json(x, 200, hallmark.cas().list().stream().map(c -> CaSummary.of(c, hallmark.cas().revocation(c).orElse(null))).toList());
        });
        router.add("GET", BASE + "/devices", x -> {
            auth.require(x, Permission.READ);
            int limit = limit(x);
            List<DeviceRecord> devices = hallmark.store().read(tx -> tx.devices().all(limit));
            json(x, 200, devices.stream().map(d -> view(d, false)).toList());
        });
        router.add("GET", BASE + "/devices/{id}", x -> {
            auth.require(x, Permission.READ);
            DeviceRecord d = hallmark.store().read(tx -> tx.devices().find(x.param("id")))
                    .orElseThrow(() -> HallmarkException.notFound("no device '" + x.param("id") + "'"));
            json(x, 200, view(d, true));
        });
        router.add("GET", BASE + "/certificates/{serial}", x -> {
            auth.require(x, Permission.READ);
            CertificateRecord c = certificate(x.param("serial"));
            var provenance = hallmark.store().read(tx -> tx.issuance().provenance(List.of(c.serial()))).get(c.serial());
            Map<String, Object> body = new LinkedHashMap<>(JSON.convertValue(CertificateSummary.of(c, now(), provenance), Map.class));
            body.put("pem", Pem.certificate(c.der()));
            json(x, 200, body);
        });
        router.add("POST", BASE + "/certificates/{serial}/revoke", x -> {
            Principal who = auth.require(x, Permission.REVOKE);
            String serial = Serials.normalize(x.param("serial"));
            RevokeRequest request = jsonBody(x, RevokeRequest.class);
            if (request.reason() == null) throw HallmarkException.badInput("'reason' is required, e.g. {\"reason\": \"keyCompromise\"}");
            Instant invalidity = request.invalidityDate() == null ? null : parseInstant(request.invalidityDate());
            CertificateRecord revoked = hallmark.revoker().revoke(serial, RevocationReason.parse(request.reason()), invalidity, who.actor());
            json(x, 200, CertificateSummary.of(revoked, now()));
        });
        router.add("POST", BASE + "/matter/fabrics/{fabric}/nocs", x -> {
            Principal who = auth.require(x, Permission.COMMISSION);
            NocRequest request = jsonBody(x, NocRequest.class);
            if (request.nodeId() == null || request.csr() == null) {
                throw HallmarkException.badInput("'nodeId' (64-bit hex) and 'csr' (PEM, or base64 DER) are required");
            }
            var issued = hallmark.matterFabrics().issueNoc(x.param("fabric"), FabricIds.nodeId(request.nodeId()),
                    FabricIds.cats(request.cats() == null ? List.of() : request.cats()), csrBytes(request.csr()), who.actor());
            byte[] der = issued.certificate().der();
            Map<String, Object> body = new LinkedHashMap<>(JSON.convertValue(CertificateSummary.of(issued.certificate(), now()), Map.class));
            body.put("der", java.util.Base64.getEncoder().encodeToString(der));
            body.put("tlv", java.util.Base64.getEncoder().encodeToString(MatterTlvCertificates.toTlv(der)));
            body.put("chain", issued.chain().stream().map(ca -> java.util.Base64.getEncoder().encodeToString(ca.certificate())).toList());
            json(x, 201, body);
        });
        router.add("GET", BASE + "/audit", x -> {
            auth.require(x, Permission.AUDIT);
            json(x, 200, hallmark.verifyAudit());
        });
        router.add("POST", BASE + "/events/auth", x -> {
            auth.require(x, Permission.INGEST);
            AuthReport report = jsonBody(x, AuthReport.class);
            hallmark.events().record(report.toEvent(now()));
            json(x, 202, Map.of("recorded", 1));
        });
        new InventoryEndpoints(hallmark, auth).register(router);
        router.add("GET", BASE + "/ocsp/stats", x -> {
            auth.require(x, Permission.READ);
            json(x, 200, hallmark.ocsp().stats());
        });
        new CaRoutes(hallmark, auth).register(router);
        new IssuanceRoutes(hallmark, auth).register(router);
        new StationRoutes(hallmark, auth).register(router);
        new CredentialRoutes(hallmark, auth).register(router);
        new ConfigRoutes(hallmark, auth).register(router);
        new PolicyRoutes(hallmark, auth).register(router);
        new AuditRoutes(hallmark, auth).register(router);
        new FactoryBatchRoutes(hallmark, auth).register(router);
        new CheckpointRoutes(hallmark, auth).register(router);
        new SettingRoutes(hallmark, auth).register(router);
        new MatterDacRoutes(hallmark, auth).register(router);
    }

    record RevokeRequest(String reason, String invalidityDate) {
    }

    /** A commissioner's NOC request: the node id and CATs it assigns, and the node's CSR (PEM, or base64 of the DER). */
    record NocRequest(String nodeId, List<String> cats, String csr) {
    }

    static byte[] csrBytes(String text) {
        String t = text.strip();
        if (t.startsWith("-----BEGIN")) return t.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            return java.util.Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw HallmarkException.badInput("'csr' is neither PEM nor base64: " + e.getMessage());
        }
    }

    private DeviceView view(DeviceRecord d, boolean withCertificates) {
        return hallmark.store().read(tx -> {
            List<CertificateRecord> certs = withCertificates ? tx.certificates().find(new CertificateQuery(d.id(), null, null, null, 1000)) : List.of();
            var provenance = tx.issuance().provenance(certs.stream().map(CertificateRecord::serial).toList());
            String lastSeen = withCertificates ? tx.events().lastSeen(d.id()).map(Instant::toString).orElse(null) : null;
            return new DeviceView(d.id(), d.createdAt().toString(), d.hwType(), d.hwSerial(), tx.devices().isBlocked(d.id()), lastSeen,
                    certs.stream().map(c -> CertificateSummary.of(c, now(), provenance.get(c.serial()))).toList());
        });
    }

    CertificateRecord certificate(String serialText) {
        String serial = Serials.normalize(serialText);
        return hallmark.store().read(tx -> tx.certificates().find(serial))
                .orElseThrow(() -> HallmarkException.notFound("no certificate with serial " + serial));
    }

    private Instant now() {
        return hallmark.clock().instant();
    }

    /** The value of query parameter {@code name}, URL-decoded, or null when absent. */
    static String query(Exchange x, String name) {
        String q = x.query();
        if (q == null) return null;
        for (String part : q.split("&")) {
            if (part.startsWith(name + "=")) {
                try {
                    return java.net.URLDecoder.decode(part.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new HttpError(400, "query parameter '" + name + "' is not URL-encoded text");
                }
            }
        }
        return null;
    }

    static int limit(Exchange x) {
        String q = x.query();
        if (q != null) {
            for (String part : q.split("&")) {
                if (part.startsWith("limit=")) {
                    try {
                        int n = Integer.parseInt(part.substring(6));
                        if (n >= 1 && n <= 10_000) return n;
                    } catch (NumberFormatException ignored) {
                        // fall through to the error
                    }
                    throw new HttpError(400, "limit must be a number from 1 to 10000");
                }
            }
        }
        return 1000;
    }

    static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw HallmarkException.badInput("invalidityDate must be ISO-8601, e.g. 2026-11-01T00:00:00Z");
        }
    }

    /** The body of a JSON route read into its request record; every refusal is a 4xx ({@link JsonBody}). */
    static <T> T jsonBody(Exchange x, Class<T> type) {
        return JsonBody.read(JSON, x.header("Content-Type"), x.body(MAX_JSON), type);
    }

    static void json(Exchange x, int status, Object body) throws Exception {
        x.send(status, "application/json", JSON.writeValueAsBytes(body));
    }
}
