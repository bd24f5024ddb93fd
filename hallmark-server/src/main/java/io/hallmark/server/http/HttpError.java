package io.hallmark.server.http;

import io.hallmark.core.error.HallmarkException;

import java.util.Map;

/** An HTTP error with a readable one-line reason, and headers such as WWW-Authenticate. */
public final class HttpError extends RuntimeException {

    private final int status;
    private final Map<String, String> headers;

    public HttpError(int status, String reason) {
        this(status, reason, Map.of());
    }

    public HttpError(int status, String reason, Map<String, String> headers) {
        super(reason);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** A body that turned out larger than accepted while it was read (413). */
    public static HttpError tooLarge(int max) {
        return new HttpError(413, "request body is larger than the " + max + " bytes accepted");
    }

    /**
     * Seconds a client is asked to wait after a 503: long enough for a database restart or a failover to finish
     * most of its work, short enough that a device's retry is not late once it has.
     */
    public static final int RETRY_AFTER_SECONDS = 5;

    /**
     * Something Hallmark needs (its database, a key vault) did not answer: 503 with Retry-After, so a client knows
     * the same request may succeed later, and the reason's one line (never the driver's text).
     */
    public static HttpError unavailable(String reason) {
        return new HttpError(503, reason, Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
    }

    /** Hallmark's error kinds as HTTP: 400, 404, 409, 401, 403, 503 (with Retry-After), 500. */
    public static HttpError of(HallmarkException e) {
        if (e.kind() == HallmarkException.Kind.UNAVAILABLE) {
            return unavailable(e.getMessage());
        }
        int status = switch (e.kind()) {
            case BAD_INPUT -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case UNAVAILABLE -> 503;
            case INTERNAL, INCOMPATIBLE -> 500;
        };
        return new HttpError(status, e.getMessage());
    }
}
