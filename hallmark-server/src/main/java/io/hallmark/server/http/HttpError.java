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

    /** Hallmark's error kinds as HTTP: 400, 404, 409, 401, 403, 503, 500. */
    public static HttpError of(HallmarkException e) {
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
