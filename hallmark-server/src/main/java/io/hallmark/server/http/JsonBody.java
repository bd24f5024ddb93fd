package io.hallmark.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * A JSON request body read into its request record: 415 for another media type, 400 for an empty body, a body that
 * is not JSON or not of the record's shape, and for the JSON {@code null} (which Jackson reads as no object at all,
 * and routes would then dereference). Every refusal is an {@link HttpError} with a one-line reason, decided from the
 * header value and the bytes alone (ApiBodyFuzzTest feeds it hostile bodies).
 */
public final class JsonBody {

    private JsonBody() {
    }

    /**
     * @param contentType the Content-Type header as sent, or null
     * @param body        the body, already bounded by the caller
     */
    public static <T> T read(ObjectMapper json, String contentType, byte[] body, Class<T> type) {
        if (!"application/json".equals(Exchange.mediaType(contentType))) {
            throw new HttpError(415, "Content-Type must be application/json");
        }
        if (body.length == 0) throw new HttpError(400, "empty body: expected JSON");
        T value;
        try {
            value = json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new HttpError(400, "malformed JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            // Jackson guesses the encoding of a byte array and may find it is none (CharConversionException).
            throw new HttpError(400, "malformed JSON: not UTF-8, UTF-16 or UTF-32 text");
        }
        if (value == null) throw new HttpError(400, "expected a JSON object, not null");
        return value;
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
    }
}
