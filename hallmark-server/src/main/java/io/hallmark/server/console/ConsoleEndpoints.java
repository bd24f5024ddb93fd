package io.hallmark.server.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.hallmark.core.Hallmark;
import io.hallmark.core.access.ApiCall;
import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.posture.PostureReport;
import io.hallmark.core.posture.PostureSnapshot;
import io.hallmark.core.posture.WhatIf;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.core.report.CaSummary;
import io.hallmark.core.report.CertificateSummary;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.server.http.Exchange;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.RateLimiter;
import io.hallmark.server.http.Router;
import io.hallmark.store.JdbcConsoleReads;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web console at {@code /}, on the HTTPS listener only: server-rendered pages (JTE templates precompiled at build
 * time), a session cookie opened with an API token or an operator client certificate, the API's roles, a CSRF token on
 * every change and a strict CSP (docs/console.md).
 */
public final class ConsoleEndpoints {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORM_MAX = 4096;

    private final Hallmark hallmark;
    private final JdbcConsoleReads reads;
    private final ConsoleSessions sessions;
    private final RateLimiter limiter;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    /** A signed-in caller: the principal read again from the store, and its session. */
    private record Caller(Principal principal, ConsoleSessions.Session session) {
        Page page(String title) {
            return new Page(title, principal.name(), principal.role().id(), session.csrf(), principal.role().may(Permission.REVOKE));
        }
    }

    public ConsoleEndpoints(Hallmark hallmark, JdbcConsoleReads reads) {
        this(hallmark, reads, new RateLimiter("API", RateLimiter.Limit.OFF));
    }

    /**
     * @param limiter the API's limiter: a token refused at sign-in is charged to the same per-address bucket as one
     *                refused by the API, so guessing tokens through the login form gets no allowance of its own
     */
    public ConsoleEndpoints(Hallmark hallmark, JdbcConsoleReads reads, RateLimiter limiter) {
        this.hallmark = hallmark;
        this.reads = reads;
        this.sessions = new ConsoleSessions(hallmark.store(), hallmark.clock());
        this.limiter = limiter;
    }

    public void register(Router router) {
        router.add("GET", "/", x -> page(x, c -> render(x, "overview.jte", c.page("Overview"), overview())));
        router.add("GET", "/login", x -> {
            https(x);
            render(x, 200, "login.jte", new Page("Sign in", null, null, null, false), "");
        });
        router.add("POST", "/login", this::login);
        router.add("POST", "/logout", x -> change(x, c -> {
            x.header("Set-Cookie", ConsoleSessions.setCookie(null));
            redirect(x, "/login");
        }));
        router.add("GET", "/assets/{file}", x -> ConsoleAssets.serve(x, x.param("file")));
        router.add("GET", "/posture", x -> page(x, c -> render(x, "posture.jte", c.page("PKI health radar"), posture(x))));
        router.add("GET", "/cas", x -> page(x, c -> render(x, "cas.jte", c.page("CA hierarchy"), caTree())));
        router.add("GET", "/devices", x -> page(x, c -> render(x, "devices.jte", c.page("Devices"), devices(x))));
        router.add("GET", "/devices/search", x -> page(x, c -> render(x, "deviceresults.jte", c.page("Devices"), devices(x))));
        router.add("GET", "/devices/{id}", x -> page(x, c -> render(x, "device.jte", c.page("Device " + x.param("id")), device(x.param("id")))));
        router.add("GET", "/certificates/{serial}", x -> page(x, c -> render(x, "certificate.jte", c.page("Certificate"), certificate(x.param("serial")))));
        router.add("GET", "/certificates/{serial}/pem", x -> page(x, c -> {
            CertificateRecord cert = record(x.param("serial"));
            x.header("Content-Disposition", "attachment; filename=\"" + cert.serial() + ".pem\"");
            x.send(200, "application/x-pem-file", Pem.certificate(cert.der()).getBytes(StandardCharsets.US_ASCII));
        }));
        router.add("GET", "/certificates/{serial}/revoke", x -> page(x, c -> {
            requireRevoke(c);
            render(x, "revoke.jte", c.page("Revoke"), certificate(x.param("serial")));
        }));
        router.add("POST", "/certificates/{serial}/revoke", x -> change(x, c -> {
            requireRevoke(c.caller());
            Map<String, String> form = c.form();
            RevocationReason reason = RevocationReason.parse(form.getOrDefault("reason", ""));
            CertificateRecord done = hallmark.revoker().revoke(Serials.normalize(x.param("serial")), reason, null, c.caller().principal().actor());
            redirect(x, "/certificates/" + done.serial());
        }));
        // Factory batches: readers may follow them (the API's read permission); htmx polls the fragments while they run.
        router.add("GET", "/factory", x -> page(x, c -> render(x, "factory.jte", c.page("Factory batches"), batches())));
        router.add("GET", "/factory/rows", x -> page(x, c -> fragment(x, "batchrows.jte", batches())));
        router.add("GET", "/factory/{id}", x -> page(x, c -> render(x, "batch.jte", c.page("Factory batch"), batch(x.param("id")))));
        router.add("GET", "/factory/{id}/progress", x -> page(x, c -> fragment(x, "batchprogress.jte", batch(x.param("id")))));
        router.add("GET", "/audit", x -> page(x, c -> {
            if (!c.principal().role().may(Permission.AUDIT)) throw new HttpError(403, "role " + c.principal().role().id() + " may not read the audit log");
            var v = hallmark.verifyAudit();
            render(x, "audit.jte", c.page("Audit log"), new Views.Audit(v.intact(), v.entries(), v.headHash(), v.problem(), reads.recentAudit(50)));
        }));
    }

    @FunctionalInterface
    private interface PageBody {
        void render(Caller caller) throws Exception;
    }

    private record Change(Caller caller, Map<String, String> form) {
    }

    @FunctionalInterface
    private interface ChangeBody {
        void run(Change change) throws Exception;
    }

    /** A page for a signed-in caller; anyone else gets the login page (401), never data. */
    private void page(Exchange x, PageBody body) throws Exception {
        https(x);
        Caller caller = caller(x);
        if (caller == null) {
            render(x, 401, "login.jte", new Page("Sign in", null, null, null, false), "");
            return;
        }
        body.render(caller);
    }

    /** A change: a signed-in caller (401 otherwise) whose form carries the session's CSRF token (403 otherwise). */
    private void change(Exchange x, ChangeBody body) throws Exception {
        https(x);
        Caller caller = caller(x);
        if (caller == null) throw new HttpError(401, "sign in first");
        Map<String, String> form = FormBody.parse(new String(x.body(FORM_MAX), StandardCharsets.UTF_8));
        String token = form.get("csrf");
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), caller.session().csrf().getBytes(StandardCharsets.UTF_8))) {
            SecurityHeaders.apply(x);
            throw new HttpError(403, "missing or wrong CSRF token: reload the page and try again");
        }
        body.run(new Change(caller, form));
    }

    private void login(Exchange x) throws Exception {
        https(x);
        Map<String, String> form = FormBody.parse(new String(x.body(FORM_MAX), StandardCharsets.UTF_8));
        String token = form.getOrDefault("token", "").trim();
        String refusals = RateLimiter.refusals(x);
        limiter.refuseExhausted(refusals);
        Principal p;
        try {
            p = token.isEmpty() ? null : hallmark.principals().authorize(new ApiCall(Permission.READ, List.of(new Evidence.BearerToken(token)))).orElse(null);
        } catch (HallmarkException e) {
            if (e.kind() == HallmarkException.Kind.UNAVAILABLE) throw e; // the database, not the token: 503, not "not valid"
            p = null;
        }
        if (p == null) {
            limiter.charge(refusals);
            render(x, 401, "login.jte", new Page("Sign in", null, null, null, false), "That token is not valid.");
            return;
        }
        x.header("Set-Cookie", ConsoleSessions.setCookie(sessions.open(p)));
        redirect(x, "/");
    }

    /**
     * The caller of a request: a valid session cookie whose principal is still usable, else an operator client
     * certificate from the TLS handshake (which opens a session, so that changes carry a CSRF token too); null for
     * nobody.
     */
    private Caller caller(Exchange x) {
        var session = sessions.read(FormBody.cookie(x.header("Cookie"), ConsoleSessions.COOKIE));
        if (session.isPresent()) {
            var now = hallmark.clock().instant();
            return hallmark.credentials().list().stream()
                    .filter(p -> p.id().equals(session.get().principalId()) && p.unusableReason(now) == null)
                    .findFirst().map(p -> new Caller(p, session.get())).orElse(null);
        }
        if (x.clientChain().isEmpty()) return null;
        try {
            var p = hallmark.principals().authorize(new ApiCall(Permission.READ, List.of(new Evidence.ClientCertificateChain(x.clientChain()))));
            if (p.isEmpty()) return null;
            var opened = sessions.open(p.get());
            x.header("Set-Cookie", ConsoleSessions.setCookie(opened));
            return new Caller(p.get(), opened);
        } catch (HallmarkException e) {
            if (e.kind() == HallmarkException.Kind.UNAVAILABLE) throw e; // the database, not the certificate: 503, not a sign-in page
            return null;
        }
    }

    private static void requireRevoke(Caller c) {
        if (!c.principal().role().may(Permission.REVOKE)) {
            throw new HttpError(403, "role " + c.principal().role().id() + " may not revoke");
        }
    }

    private static void https(Exchange x) {
        if (!x.secure()) throw new HttpError(404, "the console is served on the HTTPS listener");
    }

    private void render(Exchange x, String template, Page page, Object model) {
        render(x, 200, template, page, model);
    }

    private void render(Exchange x, int status, String template, Page page, Object model) {
        StringOutput out = new StringOutput();
        templates.render(template, Map.of("page", page, "model", model), out);
        SecurityHeaders.apply(x);
        x.send(status, "text/html; charset=utf-8", out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A part of a page that htmx swaps in: the model alone, no layout. */
    private void fragment(Exchange x, String template, Object model) {
        StringOutput out = new StringOutput();
        templates.render(template, Map.of("model", model), out);
        SecurityHeaders.apply(x);
        x.send(200, "text/html; charset=utf-8", out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void redirect(Exchange x, String location) {
        SecurityHeaders.apply(x);
        x.header("Location", location);
        x.send(303, "text/plain; charset=utf-8", new byte[0]);
    }

    private Views.Overview overview() throws Exception {
        PostureSnapshot snapshot = hallmark.posture().snapshot(false);
        PostureReport report = WhatIf.score(snapshot, Map.of());
        var fleet = snapshot.fleet();
        return new Views.Overview(report, radarJson(report, null), snapshot.cas().size(), fleet.devices().registered(), fleet.validCertificates(),
                fleet.expiry().get("7d") + fleet.expiry().get("30d"),
                JSON.writeValueAsString(Map.of("labels", fleet.expiry().keySet(), "counts", fleet.expiry().values())), reads.recentAudit(10));
    }

    private Views.Posture posture(Exchange x) throws Exception {
        Map<String, String> q = FormBody.parse(x.query());
        Map<String, String> overrides = new LinkedHashMap<>();
        String hardware = q.getOrDefault("hardware-keys", "");
        if (!hardware.isEmpty()) overrides.put("hardware-keys", hardware + "%");
        for (String flag : List.of("root-in-hsm", "cas-in-hsm")) if (q.containsKey(flag)) overrides.put(flag, "true");
        if (q.containsKey("checkpoint")) overrides.put("checkpoint", "now");
        PostureSnapshot snapshot = hallmark.posture().snapshot(true);
        PostureReport actual = WhatIf.score(snapshot, Map.of());
        PostureReport whatIf = overrides.isEmpty() ? null : WhatIf.score(snapshot, overrides); // a bad value: 400, one line
        int hw = hardware.isEmpty() ? actual.axis("hardware-device-keys").score() : (int) Math.round(Double.parseDouble(hardware));
        return new Views.Posture(actual, whatIf, radarJson(actual, whatIf), hw, overrides.containsKey("root-in-hsm"),
                overrides.containsKey("cas-in-hsm"), overrides.containsKey("checkpoint"));
    }

    private static String radarJson(PostureReport actual, PostureReport whatIf) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("labels", actual.axes().stream().map(a -> a.name()).toList());
        m.put("scores", actual.axes().stream().map(a -> a.score()).toList());
        if (whatIf != null) m.put("whatIf", whatIf.axes().stream().map(a -> a.score()).toList());
        return JSON.writeValueAsString(m);
    }

    private List<Views.CaNode> caTree() {
        List<CaSummary> all = hallmark.cas().list().stream().map(c -> CaSummary.of(c, hallmark.cas().revocation(c).orElse(null))).toList();
        return children(all, null);
    }

    private static List<Views.CaNode> children(List<CaSummary> all, String parent) {
        List<Views.CaNode> out = new ArrayList<>();
        for (CaSummary ca : all) {
            if (java.util.Objects.equals(ca.parent(), parent) && !ca.name().equals(parent)) out.add(new Views.CaNode(ca, children(all, ca.name())));
        }
        return out;
    }

    private Views.Batches batches() {
        var page = hallmark.factoryBatches().page(null, 50);
        return new Views.Batches(page.batches(), page.batches().stream().anyMatch(io.hallmark.core.factory.BatchStatus::running));
    }

    private io.hallmark.core.factory.BatchStatus batch(String id) {
        try {
            return hallmark.factoryBatches().get(id);
        } catch (HallmarkException e) {
            if (e.kind() == HallmarkException.Kind.UNAVAILABLE) throw e;
            throw new HttpError(e.kind() == HallmarkException.Kind.NOT_FOUND ? 404 : 400, e.getMessage());
        }
    }

    private Views.DeviceList devices(Exchange x) {
        String q = FormBody.parse(x.query()).getOrDefault("q", "").trim();
        if (q.length() > 64) throw new HttpError(400, "a device id is at most 64 characters");
        return new Views.DeviceList(q, reads.devicesStartingWith(q, 50));
    }

    private Views.Device device(String id) {
        var now = hallmark.clock().instant();
        return hallmark.store().read(tx -> {
            var d = tx.devices().find(id).orElseThrow(() -> new HttpError(404, "no device '" + id + "'"));
            List<CertificateRecord> certs = tx.certificates().find(new CertificateQuery(id, null, null, null, 200));
            List<CertificateSummary> idevids = new ArrayList<>(), ldevids = new ArrayList<>();
            for (CertificateRecord c : certs) {
                (c.profile().equals("idevid") ? idevids : ldevids).add(CertificateSummary.of(c, now));
            }
            return new Views.Device(d.id(), d.createdAt().toString(), d.hwType(), d.hwSerial(), tx.devices().isBlocked(id), idevids, ldevids);
        });
    }

    private Views.Certificate certificate(String serial) {
        CertificateRecord c = record(serial);
        var provenance = hallmark.store().read(tx -> tx.issuance().provenance(List.of(c.serial()))).get(c.serial());
        return new Views.Certificate(CertificateSummary.of(c, hallmark.clock().instant(), provenance), Pem.certificate(c.der()));
    }

    private CertificateRecord record(String serial) {
        String s;
        try {
            s = Serials.normalize(serial);
        } catch (HallmarkException e) {
            throw new HttpError(400, e.getMessage());
        }
        return hallmark.store().read(tx -> tx.certificates().find(s)).orElseThrow(() -> new HttpError(404, "no certificate " + s));
    }
}
