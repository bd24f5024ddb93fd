package io.hallmark.server;

import io.hallmark.core.Hallmark;
import io.hallmark.server.api.ApiAuth;
import io.hallmark.server.api.ApiEndpoints;
import io.hallmark.server.est.EstEndpoints;
import io.hallmark.server.est.EstLabels;
import io.hallmark.server.http.RateLimiter;
import io.hallmark.server.http.RateLimits;
import io.hallmark.server.http.ReadDeadline;
import io.hallmark.server.http.Router;
import io.hallmark.server.tls.ServerIdentity;
import io.hallmark.server.tls.ServerTls;
import io.hallmark.server.tls.TlsSource;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Hallmark's HTTP front end: HTTPS (TLS 1.3 and 1.2, AEAD suites only, optional client certificates) for EST and the REST
 * API, plain HTTP for what must be fetchable without TLS (OCSP, CRLs). Handlers run on virtual threads,
 * except cached OCSP answers, which the plain listener writes from its I/O thread ({@link PlainListener});
 * stop() drains requests in flight before closing. Nodes keep no state of their own beyond caches, so
 * several can serve one PostgreSQL store.
 */
public final class HallmarkServer implements AutoCloseable {

    /**
     * @param hostnames    names and addresses the TLS certificate is issued for
     * @param logDir       where access.log goes; null for none
     * @param readDeadline how long a client has to deliver a request once one is due ({@link ReadDeadline})
     * @param tls          the HTTPS identity: built in (kept where, if anywhere) or an operator's files
     * @param rateLimits   per-client limits on EST enrollments, API calls and factory batches ({@link RateLimits})
     */
    public record Options(String httpsHost, int httpsPort, String httpHost, int httpPort, List<String> hostnames, Path logDir,
                          Duration readDeadline, TlsSource tls, RateLimits rateLimits) {

        /** With the default rate limits ({@link RateLimits#DEFAULT}). */
        public Options(String httpsHost, int httpsPort, String httpHost, int httpPort, List<String> hostnames, Path logDir,
                       Duration readDeadline, TlsSource tls) {
            this(httpsHost, httpsPort, httpHost, httpPort, hostnames, logDir, readDeadline, tls, RateLimits.DEFAULT);
        }

        /** Room for a TLS handshake and a request over a slow cellular link, far too little for a trickle. */
        public static final Duration DEFAULT_READ_DEADLINE = Duration.ofSeconds(20);

        /** The built-in identity kept in memory only: each start issues a certificate (tests, embedded use). */
        public Options(String httpsHost, int httpsPort, String httpHost, int httpPort, List<String> hostnames, Path logDir) {
            this(httpsHost, httpsPort, httpHost, httpPort, hostnames, logDir, DEFAULT_READ_DEADLINE);
        }

        public Options(String httpsHost, int httpsPort, String httpHost, int httpPort, List<String> hostnames, Path logDir,
                       Duration readDeadline) {
            this(httpsHost, httpsPort, httpHost, httpPort, hostnames, logDir, readDeadline, new TlsSource.BuiltIn(null));
        }
    }

    private final Server server;
    private final Server plain;
    private final ServerConnector https;
    private final ServerConnector http;
    private final JsonAccessLog log;
    private final ServerTls tls;
    private io.hallmark.server.metrics.HallmarkMetrics metrics;

    /** This node's metrics; {@link io.hallmark.server.metrics.HallmarkMetrics#refresh()} recomputes the fleet gauges at once. */
    public io.hallmark.server.metrics.HallmarkMetrics metrics() {
        return metrics;
    }

    private HallmarkServer(Server server, Server plain, ServerConnector https, ServerConnector http, JsonAccessLog log, ServerTls tls) {
        this.server = server;
        this.plain = plain;
        this.https = https;
        this.http = http;
        this.log = log;
        this.tls = tls;
    }

    public static HallmarkServer start(Hallmark hallmark, Options options) throws Exception {
        return start(hallmark, options, io.hallmark.core.node.NodeIds.forProcess());
    }

    /**
     * Starts the listeners as node {@code nodeId} of the database: its name in logs, {@code /healthz} and the jobs
     * lease ({@link io.hallmark.core.node.NodeLease}).
     */
    public static HallmarkServer start(Hallmark hallmark, Options options, String nodeId) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("hallmark");
        threads.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("hallmark-vt"));
        Server server = new Server(threads);

        ServerTls tls = new ServerTls(hallmark, options.tls(), options.hostnames());
        HttpConfiguration httpsConfig = HttpSettings.configuration();
        httpsConfig.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector https = new ServerConnector(server, new SslConnectionFactory(tls.factory(), "http/1.1"), new HttpConnectionFactory(httpsConfig));
        https.setHost(options.httpsHost());
        https.setPort(options.httpsPort());
        server.addConnector(https);

        io.hallmark.server.metrics.HallmarkMetrics metrics = new io.hallmark.server.metrics.HallmarkMetrics(hallmark);
        Router router = router(hallmark, metrics, options.rateLimits());

        // Body limits are per endpoint (Exchange.body(max)): a factory batch streams gigabytes, an EST request
        // is refused beyond 32 KiB before it is read. Time is bounded per connection (ReadDeadline): a request
        // must arrive within the read deadline, however slowly its bytes trickle in.
        ReadDeadline deadline = new ReadDeadline(options.readDeadline(), router);
        https.addEventListener(deadline);
        server.setHandler(new GracefulHandler(deadline));
        server.setStopTimeout(10_000);
        server.setErrorHandler(new io.hallmark.server.http.PlainErrors());

        Server plain = PlainListener.create(hallmark.ocsp(), io.hallmark.server.revoke.RevocationEndpoints.caching(hallmark), router,
                options.httpHost(), options.httpPort(), options.readDeadline());
        ServerConnector http = (ServerConnector) plain.getConnectors()[0];

        // Both ports are taken before anything is issued or signed (the TLS certificate, OCSP responders, CRLs): a start
        // that cannot bind records nothing.
        Listeners.bind(https, http);
        try {
            tls.load();
        } catch (Exception e) {
            Listeners.release(https, http);
            throw e;
        }
        // The jobs lease, CRLs re-signed when due (on its holder), responders rotated, other nodes' revocations seen.
        hallmark.startRevocationScheduler(nodeId);
        metrics.start();

        JsonAccessLog log = null;
        if (options.logDir() != null) {
            log = new JsonAccessLog(options.logDir().resolve("access.log"));
            log.start(); // shared by both servers, so started and stopped here rather than by either
            server.setRequestLog(log);
            plain.setRequestLog(PlainListener.logged(log));
        }
        HallmarkServer started = new HallmarkServer(server, plain, https, http, log, tls);
        started.metrics = metrics;
        try {
            server.start();
            plain.start();
        } catch (Exception e) {
            started.close(); // do not leave HTTPS running
            throw e;
        }
        tls.watch();
        return started;
    }

    public URI httpsUri() {
        return URI.create("https://" + host(https) + ":" + https.getLocalPort());
    }

    public URI httpUri() {
        return URI.create("http://" + host(http) + ":" + http.getLocalPort());
    }

    private static String host(ServerConnector c) {
        String h = c.getHost() == null ? "0.0.0.0" : c.getHost();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    /** The TLS identity new HTTPS connections get. */
    public ServerIdentity tlsIdentity() {
        return tls.current();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops the plain listener, then HTTPS (whose router it borrows), each draining its requests in flight. */
    @Override
    public void close() throws Exception {
        tls.close();
        metrics.close();
        try {
            plain.stop();
        } finally {
            try {
                server.stop();
            } finally {
                if (log != null) log.stop();
            }
        }
    }

    /** Every route both listeners serve, each request observed by {@code metrics}. */
    static Router router(Hallmark hallmark, io.hallmark.server.metrics.HallmarkMetrics metrics) {
        return router(hallmark, metrics, RateLimits.DEFAULT);
    }

    static Router router(Hallmark hallmark, io.hallmark.server.metrics.HallmarkMetrics metrics, RateLimits limits) {
        Router router = new Router().observe(metrics.requests());
        RateLimiter est = new RateLimiter("EST", limits.est());
        RateLimiter api = new RateLimiter("API", limits.api());
        RateLimiter factory = new RateLimiter("factory", limits.factory());
        metrics.rateLimits(List.of(est, api, factory));
        ApiAuth auth = new ApiAuth(hallmark, api);
        router.add("GET", "/healthz", x -> Health.answer(hallmark, x));
        new io.hallmark.server.metrics.MetricsEndpoint(hallmark, metrics, auth).register(router);
        new EstEndpoints(hallmark, hallmark.enrollment(), new EstLabels(hallmark.store(), hallmark.sharedConfig()), est).register(router);
        new ApiEndpoints(hallmark, auth).register(router);
        new io.hallmark.server.revoke.RevocationEndpoints(hallmark).register(router);
        new io.hallmark.server.factory.FactoryEndpoints(hallmark, factory).register(router);
        if (hallmark.store() instanceof io.hallmark.store.JdbcStore jdbc) {
            new io.hallmark.server.console.ConsoleEndpoints(hallmark, new io.hallmark.store.JdbcConsoleReads(jdbc), api).register(router);
        }
        return router;
    }
}
