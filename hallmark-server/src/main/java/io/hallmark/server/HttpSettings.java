package io.hallmark.server;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;

/** The HTTP settings both listeners share, so that a path or a header means the same on either. */
final class HttpSettings {

    /** Request line and headers together; Jetty answers 431 beyond it. */
    static final int MAX_REQUEST_HEADERS = 8 * 1024;

    private HttpSettings() {
    }

    static HttpConfiguration configuration() {
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setRequestHeaderSize(MAX_REQUEST_HEADERS);
        // '%2F' and '%25' are ordinary characters in a path segment here: OCSP GET carries URL-encoded base64
        // (RFC 6960 A.1), and device ids may hold '/'. Jetty refuses them by default because a servlet would
        // decode the path before splitting it; Hallmark's router splits the path as sent and decodes each
        // segment once (http.PathSegments), so they cannot change which route matches.
        config.setUriCompliance(UriCompliance.DEFAULT.with("hallmark",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        return config;
    }
}
