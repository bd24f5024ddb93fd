package io.hallmark.server.factory;

import io.hallmark.core.factory.wire.WireFormat;

/**
 * The HTTP media types of the factory batch's wire formats ({@code POST /api/v1/factory/{ca}/{profile}}):
 * the server picks a {@link WireFormat} by the request's Content-Type and answers in it, the station client
 * ({@code hallmark factory run --server}) labels its requests with them. Core knows the formats, not HTTP.
 */
public final class FactoryMediaTypes {

    /** One JSON object a line. */
    public static final String NDJSON = "application/x-ndjson";
    /** Length-prefixed CBOR maps. */
    public static final String FRAMES = "application/vnd.hallmark.factory-frames";

    private FactoryMediaTypes() {
    }

    /** The media type of both the request and the response body in {@code format}. */
    public static String of(WireFormat format) {
        return switch (format) {
            case NDJSON -> NDJSON;
            case FRAMES -> FRAMES;
        };
    }

    /**
     * The format of a media type as {@link io.hallmark.server.http.Exchange#contentType} gives it (without
     * parameters, lowercased); null for any other, or none.
     */
    public static WireFormat forMediaType(String mediaType) {
        for (WireFormat f : WireFormat.values()) {
            if (of(f).equals(mediaType)) return f;
        }
        return null;
    }

    /** What a 415 says: every accepted media type and what it is. */
    public static String accepted() {
        StringBuilder b = new StringBuilder();
        for (WireFormat f : WireFormat.values()) {
            if (!b.isEmpty()) b.append(" or ");
            b.append(of(f)).append(" (").append(f.description()).append(')');
        }
        return b.toString();
    }
}
