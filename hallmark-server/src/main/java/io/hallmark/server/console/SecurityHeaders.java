package io.hallmark.server.console;

import io.hallmark.server.http.Exchange;

/** The headers of every console response: no inline script or style, no framing, no referrer, no sniffing, no caching. */
final class SecurityHeaders {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    static void apply(Exchange x) {
        x.header("Content-Security-Policy", CSP);
        x.header("X-Frame-Options", "DENY");
        x.header("Referrer-Policy", "no-referrer");
        x.header("X-Content-Type-Options", "nosniff");
        x.header("Cache-Control", "no-store");
    }
}
