package io.hallmark.server.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A request path as the router sees it: split at the slashes that were sent as slashes, then each segment
 * percent-decoded once (UTF-8). Splitting before decoding is what lets a path parameter hold '/', and
 * decoding once is what keeps "%252F" the three characters "%2F". Jetty's canonical path cannot serve
 * here: it decodes some escapes and keeps others, so decoding it again would decode some characters twice.
 */
public final class PathSegments {

    private PathSegments() {
    }

    /** The raw path's non-empty segments, each decoded; IllegalArgumentException (a 400) for a bad escape. */
    public static String[] decode(String rawPath) {
        String[] segments = split(rawPath);
        for (int i = 0; i < segments.length; i++) {
            segments[i] = decodeSegment(segments[i]);
        }
        return segments;
    }

    /** The non-empty segments of a path, as they are. */
    static String[] split(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    private static String decodeSegment(String segment) {
        if (segment.indexOf('%') < 0) return segment;
        try {
            // URLDecoder decodes forms, where '+' is a space; in a path it is itself, so it is escaped first.
            // (Jetty's URIUtil.decodePath would also drop a ";parameter", changing the value.)
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // Escaped: the raw segment may hold control characters (a CR found by fuzzing), and the reason reaches the client.
            throw new IllegalArgumentException("malformed percent-encoding in the path segment '" + io.hallmark.core.text.SafeText.escape(segment) + "'");
        }
    }
}
