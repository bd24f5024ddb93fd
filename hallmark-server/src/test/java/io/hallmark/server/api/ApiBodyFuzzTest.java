package io.hallmark.server.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hallmark.core.audit.Checkpoint;
import io.hallmark.core.audit.SignedNote;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.RequestedNames;
import io.hallmark.core.matter.FabricIds;
import io.hallmark.core.matter.MatterId;
import io.hallmark.core.principal.Role;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.station.StationSpec;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.JsonBody;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Hostile JSON bodies for every REST route that reads one, read as the route reads them: {@link JsonBody} into the
 * route's request record, then the field readers the route applies before it touches the store (reasons, instants,
 * durations, roles, node ids, CATs, vendor and product ids, names, CSR text, trust anchors, checkpoints). The
 * documented refusals are an {@link HttpError} with a 4xx status and a HallmarkException BAD_INPUT, each with a short
 * one-line reason; anything else, an OutOfMemoryError or a hang is a finding.
 * <p>
 * An input's first line names the request record (e.g. {@code RevokeRequest}; a name that is none picks one by its
 * hash, so every input reaches some reader); the rest is the body. Without JAZZER_FUZZ the seed corpus beside this
 * class replays in the normal build; docs/security.md (Fuzzing) says how to run it long.
 */
class ApiBodyFuzzTest {

    private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
    private static final Map<String, Reader<?>> READERS = new LinkedHashMap<>();

    private record Reader<T>(Class<T> type, Consumer<T> fields) {
        void read(byte[] body) {
            fields.accept(JsonBody.read(ApiEndpoints.JSON, "application/json; charset=utf-8", body, type));
        }
    }

    private static <T> void reader(Class<T> type, Consumer<T> fields) {
        READERS.put(type.getSimpleName(), new Reader<>(type, fields));
    }

    static {
        reader(ApiEndpoints.RevokeRequest.class, r -> {
            if (r.reason() != null) RevocationReason.parse(r.reason());
            if (r.invalidityDate() != null) ApiEndpoints.parseInstant(r.invalidityDate());
        });
        reader(CaRoutes.CaRevokeRequest.class, r -> {
            if (r.reason() != null) RevocationReason.parse(r.reason());
            if (r.invalidityDate() != null) ApiEndpoints.parseInstant(r.invalidityDate());
        });
        reader(ApiEndpoints.NocRequest.class, r -> {
            if (r.nodeId() != null) FabricIds.nodeId(r.nodeId());
            FabricIds.cats(r.cats() == null ? List.of() : r.cats());
            if (r.csr() != null) ApiEndpoints.csrBytes(r.csr());
        });
        reader(AuthReport.class, r -> r.toEvent(NOW));
        reader(ConfigRoutes.LabelRequest.class, r -> {
            for (String text : r.trustAnchors() == null ? List.<String>of() : r.trustAnchors()) {
                if (text != null) Pem.blocks(text.getBytes(StandardCharsets.US_ASCII), "CERTIFICATE").forEach(Pem::x509);
            }
        });
        reader(ConfigRoutes.PublicationRequest.class, r -> Publication.NONE.changed(r.baseUrl(), r.partitions(), r.crlValidity(), r.deltaValidity(),
                r.crlRefresh(), r.ocspValidity(), r.allowLoopbackUrls(), r.cacheWindow()));
        reader(CredentialRoutes.TokenRequest.class, r -> {
            if (r.role() != null) Role.parse(r.role());
            if (r.ttl() != null && !"never".equalsIgnoreCase(r.ttl().strip())) Validity.parseDuration(r.ttl().strip());
        });
        reader(CredentialRoutes.OperatorRequest.class, r -> {
            if (r.role() != null) Role.parse(r.role());
            if (r.csr() != null) ApiEndpoints.csrBytes(r.csr());
        });
        reader(IssuanceRoutes.IssueRequest.class, r -> {
            if (r.hwType() != null || r.hwSerial() != null) HardwareModuleName.parse(r.hwType(), r.hwSerial());
            RequestedNames.parse(r.dns(), r.ip(), "dns", "ip");
            if (r.csr() != null) ApiEndpoints.csrBytes(r.csr());
        });
        reader(MatterDacRoutes.DacRequest.class, r -> {
            if (r.vid() != null) MatterId.parse16(r.vid(), "vid");
            if (r.pid() != null) MatterId.parse16(r.pid(), "pid");
            if (r.csr() != null) ApiEndpoints.csrBytes(r.csr());
        });
        reader(PolicyRoutes.PolicyRequest.class, r -> {
            if (r.grace() != null && !r.grace().strip().equals("0")) Validity.parseDuration(r.grace());
        });
        reader(SettingRoutes.Retention.class, r -> {
            if (r.retention() != null) Validity.parseDuration(r.retention());
        });
        reader(SettingRoutes.Algorithm.class, r -> { });
        reader(SettingRoutes.EnrollToken.class, r -> {
            if (r.ttl() != null) Validity.parseDuration(r.ttl());
        });
        reader(SettingRoutes.Reprovision.class, r -> { });
        reader(StationRoutes.StationRequest.class, r -> {
            Instant from = StationRoutes.instant(r.validFrom(), "validFrom");
            Instant until = StationRoutes.instant(r.validUntil(), "validUntil");
            if (r.name() != null && r.cas() != null && !r.cas().isEmpty() && r.profiles() != null && !r.profiles().isEmpty()) {
                new StationSpec(r.name(), r.site(), r.productLine(), r.cas(), r.profiles(), r.quota(), from, until,
                        r.clientCa() == null ? "clients-ca" : r.clientCa());
            }
            if (r.csr() != null) ApiEndpoints.csrBytes(r.csr());
        });
        reader(StationRoutes.QuotaRequest.class, r -> { });
        reader(CheckpointRoutes.VerifyRequest.class, r -> {
            if (r.verifierKey() != null) SignedNote.VerifierKey.parse(r.verifierKey().strip());
            if (r.checkpoint() != null && r.checkpoint().length() <= SignedNote.MAX_BYTES) Checkpoint.parse(r.checkpoint());
        });
    }

    @FuzzTest(maxDuration = "5m")
    void bodies(byte[] input) {
        int newline = indexOf(input, (byte) '\n');
        String name = new String(input, 0, Math.max(newline, 0), StandardCharsets.ISO_8859_1).strip();
        Reader<?> reader = READERS.get(name);
        if (reader == null) reader = List.copyOf(READERS.values()).get(Math.floorMod(name.hashCode(), READERS.size()));
        byte[] body = Arrays.copyOfRange(input, newline + 1, Math.min(input.length, newline + 1 + 16 * 1024));
        try {
            reader.read(body);
        } catch (HttpError e) {
            if (e.status() < 400 || e.status() > 499) throw new AssertionError("refused with " + e.status() + ": " + e.getMessage(), e);
            reason(e.getMessage(), input);
        } catch (HallmarkException e) {
            if (e.kind() != HallmarkException.Kind.BAD_INPUT) throw new AssertionError("refused as " + e.kind() + ": " + e.getMessage(), e);
            reason(e.getMessage(), input);
        }
    }

    /**
     * What a client is told (the reason as {@link io.hallmark.server.http.Exchange#reason} cuts it): one line that names
     * no Java class or exception, unless the request itself said it (a reason may quote the request, and the fuzzer,
     * guided by these very comparisons, soon learns to put "java." wherever a reason quotes).
     */
    static void reason(String message, byte[] input) {
        String told = message == null ? "" : io.hallmark.server.http.Exchange.reason(message);
        String sent = new String(input, java.nio.charset.StandardCharsets.ISO_8859_1) + "\n" + new String(input, java.nio.charset.StandardCharsets.UTF_8);
        sent = sent + "\n" + java.util.regex.Pattern.compile("\\\\u([0-9a-fA-F]{4})").matcher(sent)
                .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        if (message == null || message.isBlank() || message.contains("\n") || message.contains("\r") || told.length() > 400) {
            throw new AssertionError("not a short one-line reason: " + message);
        }
        for (String internal : new String[]{"Exception", "java.", "io.hallmark", "org.bouncycastle", "com.fasterxml"}) {
            if (told.contains(internal) && !sent.contains(internal)) throw new AssertionError("a reason naming " + internal + ": " + message);
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == b) return i;
        return -1;
    }
}
