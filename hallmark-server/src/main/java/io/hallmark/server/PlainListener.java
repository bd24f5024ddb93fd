package io.hallmark.server;

import io.hallmark.core.revoke.OcspResponder;
import io.hallmark.server.http.PlainErrors;
import io.hallmark.server.http.ReadDeadline;
import io.hallmark.server.http.Router;
import io.hallmark.server.revoke.HttpCaching;
import io.hallmark.server.revoke.OcspFastPath;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.time.Duration;

/**
 * The plain HTTP listener (OCSP, CRLs), a Jetty server of its own so that its handler can be
 * non-blocking: Jetty then runs it on the I/O thread, where {@link OcspFastPath} answers cached OCSP
 * without a thread hand-off, while the HTTPS server keeps dispatching every request (and TLS work) to
 * virtual threads. Whatever may block goes from here to the shared router on a virtual thread.
 */
final class PlainListener {

    private PlainListener() {
    }

    static Server create(OcspResponder ocsp, HttpCaching caching, Router router, String host, int port, Duration readDeadline) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("hallmark-http");
        Server plain = new Server(threads);
        // No acceptor thread: the selector accepts, which saves a thread hand-off per connection (measured on
        // one core: 86 -> 62 µs of CPU per new connection, docs/benchmarks.md); and no pool thread to open
        // or close a connection either (InlineConnector).
        ServerConnector http = new InlineConnector(plain, new HttpConnectionFactory(configuration()));
        http.setHost(host);
        http.setPort(port);
        plain.addConnector(http);
        // The deadline's wrapper keeps the fast path non-blocking: it only stamps the connection's clock.
        ReadDeadline deadline = new ReadDeadline(readDeadline, new OcspFastPath(ocsp, router, VirtualThreads.getNamedVirtualThreadsExecutor("hallmark-http-vt"),
                caching));
        http.addEventListener(deadline);
        plain.setHandler(new GracefulHandler(deadline));
        plain.setStopTimeout(10_000);
        plain.setErrorHandler(new PlainErrors());
        return plain;
    }

    static HttpConfiguration configuration() {
        return HttpSettings.configuration();
    }

    /**
     * The access log without successful OCSP answers: those come tens of thousands a second, would be one
     * synchronous file write each on the I/O thread, and are counted instead (OcspResponder.Stats, served
     * at /api/v1/ocsp/stats). Refusals, CRL and CA downloads and everything else are logged.
     */
    static RequestLog logged(RequestLog log) {
        return (request, response) -> {
            if (response.getStatus() != 200 || !OcspFastPath.isOcsp(request)) {
                log.log(request, response);
            }
        };
    }
}
