package io.hallmark.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.text.SafeText;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Method + path routing with {@code {name}} segments, and the one place where exceptions become HTTP:
 * {@link HttpError} and {@link HallmarkException} turn into their status with a one-line reason; anything
 * else is a 500 that is logged but never leaks a stack trace to the client.
 * <p>
 * Routes match the path as sent, split at its literal slashes, each segment percent-decoded exactly once
 * ({@link PathSegments}): {@code /devices/A%2FB} is the device "A/B", never a path with one more segment.
 */
public final class Router extends Handler.Abstract {

    @FunctionalInterface
    public interface Endpoint {
        void handle(Exchange exchange) throws Exception;
    }

    private record Route(String method, String pattern, String[] segments, Endpoint endpoint) {
    }

    /**
     * Told of every request this router answered: its route as registered ({@code /crl/{file}}, never the raw
     * path, so a scan of random paths cannot create a metric per path), or {@link #UNMATCHED}, with the status
     * and how long the handler took. Called on the request's thread; must not block.
     */
    @FunctionalInterface
    public interface Observer {
        void handled(String method, String route, Map<String, String> params, int status, long nanos);
    }

    /** The route reported for a request that matched none (a 404 or 405). */
    public static final String UNMATCHED = "unmatched";

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private final List<Route> routes = new ArrayList<>();
    private volatile Observer observer = (method, route, params, status, nanos) -> { };

    public Router add(String method, String pattern, Endpoint endpoint) {
        routes.add(new Route(method, pattern, PathSegments.split(pattern), endpoint));
        return this;
    }

    public Router observe(Observer observer) {
        this.observer = observer;
        return this;
    }

    /** Every route as "METHOD /pattern", in registration order: what the OpenAPI document is checked against. */
    public List<String> routes() {
        return routes.stream().map(r -> r.method + " /" + String.join("/", r.segments)).toList();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String[] path;
        try {
            path = PathSegments.decode(request.getHttpURI().getPath());
        } catch (IllegalArgumentException e) {
            new Exchange(request, response, callback, Map.of()).error(new HttpError(400, e.getMessage()));
            return true;
        }
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Map<String, String> params = match(r.segments, path);
            if (params == null) continue;
            if (!r.method.equals(request.getMethod())) {
                allowed.add(r.method);
                continue;
            }
            long start = System.nanoTime();
            run(r.endpoint, new Exchange(request, response, callback, params));
            observer.handled(r.method, r.pattern, params, response.getStatus(), System.nanoTime() - start);
            return true;
        }
        Exchange exchange = new Exchange(request, response, callback, Map.of());
        if (!allowed.isEmpty()) {
            exchange.header("Allow", String.join(", ", allowed));
            exchange.text(405, Exchange.reason("method " + request.getMethod() + " not allowed here (allowed: " + String.join(", ", allowed) + ")"));
        } else {
            exchange.text(404, Exchange.reason("no such resource: " + SafeText.escape(Request.getPathInContext(request))));
        }
        observer.handled("other", UNMATCHED, Map.of(), response.getStatus(), 0);
        return true;
    }

    private static void run(Endpoint endpoint, Exchange exchange) {
        try {
            endpoint.handle(exchange);
            if (!exchange.done()) {
                exchange.text(500, "internal error: no response");
            }
            exchange.finish(false);
        } catch (HttpError e) {
            fail(exchange, e);
        } catch (HallmarkException e) {
            if (e.kind() == HallmarkException.Kind.INTERNAL) LOG.error("{} {}: {}", exchange.method(), logged(exchange.path()), e.getMessage(), e);
            if (e.kind() == HallmarkException.Kind.UNAVAILABLE) LOG.warn("{} {}: {}", exchange.method(), logged(exchange.path()), e.getMessage());
            fail(exchange, HttpError.of(e));
        } catch (JsonProcessingException e) {
            fail(exchange, new HttpError(400, JsonBody.reason(e)));
        } catch (Exception e) {
            LOG.error("{} {} failed", exchange.method(), logged(exchange.path()), e);
            fail(exchange, new HttpError(500, "internal error"));
        }
    }

    private static void fail(Exchange exchange, HttpError e) {
        if (exchange.done()) {
            // A streamed response that failed midway: the status is gone, so the reason goes last in the body.
            LOG.warn("{} {} failed after the response started: {}", exchange.method(), logged(exchange.path()), logged(e.getMessage()));
            exchange.finish(true, e.status() + " " + e.getMessage());
            return;
        }
        exchange.error(e);
    }

    /**
     * Request text as it may appear in a log line: the decoded path can hold any character the client
     * percent-encoded (%1b, %0a), and a reason may quote the request; escaped, neither can forge a line
     * or send a terminal escape to whoever reads the log. HallmarkException messages arrive escaped already.
     */
    private static String logged(String requestText) {
        return SafeText.escape(requestText);
    }

    /**
     * {@code {name}} matches one segment; a final {@code {name...}} matches the rest of the path, its decoded
     * segments joined by '/' (so it cannot tell '/' from '%2F': an endpoint that must reads {@link Exchange#rawPath()}).
     */
    private static Map<String, String> match(String[] pattern, String[] path) {
        boolean rest = pattern.length > 0 && pattern[pattern.length - 1].endsWith("...}");
        if (rest ? path.length < pattern.length : pattern.length != path.length) return null;
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            if (rest && i == pattern.length - 1) {
                params.put(pattern[i].substring(1, pattern[i].length() - 4), String.join("/", java.util.Arrays.copyOfRange(path, i, path.length)));
                break;
            }
            if (pattern[i].startsWith("{") && pattern[i].endsWith("}")) {
                params.put(pattern[i].substring(1, pattern[i].length() - 1), path[i]);
            } else if (!pattern[i].equals(path[i])) {
                return null;
            }
        }
        return params;
    }
}
