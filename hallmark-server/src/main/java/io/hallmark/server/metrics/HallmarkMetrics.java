package io.hallmark.server.metrics;

import io.hallmark.core.Hallmark;
import io.hallmark.core.revoke.OcspResponder;
import io.hallmark.server.http.Router;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The node's Prometheus metrics, names prefixed {@code hallmark_} (docs/monitoring.md lists them). Request
 * metrics are labelled by route template and CA, never by raw path, so label sets stay bounded. Fleet
 * gauges (certificates by status and expiry window, CRL and responder freshness) are computed by
 * {@link #refresh()} on the node's scheduler once a minute and only read by a scrape: a scrape costs no query.
 */
public final class HallmarkMetrics implements AutoCloseable {

    /** How often the fleet gauges are recomputed. */
    public static final Duration REFRESH = Duration.ofSeconds(60);
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5)};

    /** Finer at the bottom: an uncontended head row costs a round trip, about a tenth of a millisecond. */
    private static final Duration[] HEAD_WAIT_BUCKETS = {
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1)};

    private final Hallmark hallmark;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge certificates;
    private final MultiGauge expiring;
    private final MultiGauge crlFreshness;
    private final MultiGauge responderFreshness;
    private volatile Set<String> knownCas = Set.of();
    private java.util.concurrent.ScheduledExecutorService refresher;

    public HallmarkMetrics(Hallmark hallmark) {
        this.hallmark = hallmark;
        certificates = MultiGauge.builder("hallmark_certificates").description("Certificates by CA and status").register(registry);
        expiring = MultiGauge.builder("hallmark_certificates_expiring").description("Unrevoked certificates expiring within a window (7d, 30d, 90d), by CA")
                .register(registry);
        crlFreshness = MultiGauge.builder("hallmark_crl_next_update_seconds").description("Seconds until the nextUpdate of the CRLs this node serves, by CA (negative: stale)")
                .register(registry);
        responderFreshness = MultiGauge.builder("hallmark_ocsp_responder_expiry_seconds")
                .description("Seconds until the delegated OCSP responder certificate of a CA expires").register(registry);
        OcspResponder ocsp = hallmark.ocsp();
        FunctionCounter.builder("hallmark_ocsp_requests", ocsp, o -> o.stats().requests()).description("OCSP requests answered by this node").register(registry);
        FunctionCounter.builder("hallmark_ocsp_signatures", ocsp, o -> o.stats().signatures()).description("OCSP responses signed (not served from the pre-produced cache)").register(registry);
        FunctionCounter.builder("hallmark_ocsp_cache_hits", ocsp, o -> o.stats().preProducedHits()).description("OCSP answers served pre-produced").register(registry);
        FunctionCounter.builder("hallmark_ocsp_refused", ocsp, o -> o.stats().malformed()).tag("reason", "malformed").description("OCSP requests refused").register(registry);
        FunctionCounter.builder("hallmark_ocsp_refused", ocsp, o -> o.stats().unauthorized()).tag("reason", "unauthorized").description("OCSP requests refused").register(registry);
        FunctionCounter.builder("hallmark_factory_issued", hallmark.factory(), f -> f.issuedTotal())
                .description("Certificates newly issued by factory batches on this node (rate() of it is the factory's throughput)").register(registry);
        hallmark.vaults().timeSigning((scheme, nanos) -> Timer.builder("hallmark_vault_sign").description("Time a key vault takes to sign, by vault scheme")
                .tag("vault", scheme).serviceLevelObjectives(LATENCY_BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS));
        if (hallmark.store() instanceof io.hallmark.store.JdbcStore jdbc) {
            // Every audited write of every node queues on one head row: this says what that costs (docs/benchmarks.md).
            Timer headWait = Timer.builder("hallmark_audit_head_wait").description("Time an audit append waited to lock the audit chain's head row "
                    + "(PostgreSQL: other transactions of every node holding it, plus a round trip)").serviceLevelObjectives(HEAD_WAIT_BUCKETS).register(registry);
            jdbc.timeAuditHeadWait(nanos -> headWait.record(nanos, TimeUnit.NANOSECONDS));
        }
    }

    /** Counts each limiter's 429 answers and the clients it tracks, by family (est, api, factory). */
    public void rateLimits(List<io.hallmark.server.http.RateLimiter> limiters) {
        for (var limiter : limiters) {
            String family = limiter.family().toLowerCase(java.util.Locale.ROOT);
            FunctionCounter.builder("hallmark_rate_limited", limiter, io.hallmark.server.http.RateLimiter::refused).tag("family", family)
                    .description("Requests answered 429 because their client had used its allowance (serve --rate-limit)").register(registry);
            io.micrometer.core.instrument.Gauge.builder("hallmark_rate_limit_clients", limiter, l -> l.clients()).tag("family", family)
                    .description("Clients with a rate-limit bucket on this node (bounded)").register(registry);
        }
    }

    /** Records the router's requests: counter and latency histogram per method, route template, status and CA. */
    public Router.Observer requests() {
        return (method, route, params, status, nanos) -> Timer.builder("hallmark_http_requests")
                .description("HTTP requests by route template, CA and status")
                .tags("method", method, "route", route, "status", Integer.toString(status), "ca", ca(params))
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }


    /**
     * Refreshes the fleet gauges now and every {@link #REFRESH}, on a thread of its own: the count is one pass over
     * the certificates (measured: 3.5 to 4.6 s for 1,000,000 on SQLite, docs/monitoring.md), which must not hold
     * up the revocation scheduler's one-second polls.
     */
    public synchronized void start() {
        if (refresher != null) return;
        refresher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hallmark-metrics");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(HallmarkMetrics.class).warn("metrics refresh failed; retrying in {}", REFRESH, e);
            }
        }, 0, REFRESH.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
            refresher = null;
        }
    }

    /** Recomputes the fleet gauges. */
    public void refresh() {
        Instant now = hallmark.clock().instant();
        // The inventory overview: the same counts the console, the radar and `inventory overview` show.
        var overview = hallmark.store().read(tx -> tx.inventory().overview(now, io.hallmark.core.inventory.Inventory.deprecated(tx)));
        List<MultiGauge.Row<?>> byStatus = new ArrayList<>();
        List<MultiGauge.Row<?>> byWindow = new ArrayList<>();
        Set<String> cas = new TreeSet<>();
        overview.statusByCa().forEach((ca, status) -> {
            cas.add(ca);
            status.forEach((s, n) -> byStatus.add(MultiGauge.Row.of(Tags.of("ca", ca, "status", s), n)));
            long within = 0; // each window includes the shorter ones
            for (var w : overview.expiryByCa().getOrDefault(ca, Map.of()).entrySet()) {
                within += w.getValue();
                byWindow.add(MultiGauge.Row.of(Tags.of("ca", ca, "within", w.getKey()), within));
            }
        });
        hallmark.cas().list().forEach(ca -> cas.add(ca.name()));
        knownCas = Set.copyOf(cas);
        certificates.register(byStatus, true);
        expiring.register(byWindow, true);

        List<MultiGauge.Row<?>> crl = new ArrayList<>();
        for (Map.Entry<String, Instant> e : hallmark.crlPublisher().nextUpdates().entrySet()) {
            crl.add(MultiGauge.Row.of(Tags.of("ca", e.getKey()), Duration.between(now, e.getValue()).toSeconds()));
        }
        crlFreshness.register(crl, true);

        List<MultiGauge.Row<?>> responders = new ArrayList<>();
        hallmark.store().read(tx -> {
            for (String ca : cas) {
                tx.ocspResponders().find(ca).flatMap(r -> tx.certificates().find(r.serial())).ifPresent(cert ->
                        responders.add(MultiGauge.Row.of(Tags.of("ca", ca), Duration.between(now, cert.notAfter()).toSeconds())));
            }
            return null;
        });
        responderFreshness.register(responders, true);
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** The CA a request was about: its {ca} segment, or the CA a CRL or CA file is named after; "" if none is known. */
    private String ca(Map<String, String> params) {
        String ca = params.get("ca");
        if (ca != null) return knownCas.contains(ca) ? ca : "";
        String file = params.get("file");
        if (file == null) return "";
        String best = "";
        for (String known : knownCas) {
            if (file.startsWith(known) && (file.length() == known.length() || file.charAt(known.length()) == '.' || file.charAt(known.length()) == '-')
                    && known.length() > best.length()) {
                best = known;
            }
        }
        return best;
    }
}
