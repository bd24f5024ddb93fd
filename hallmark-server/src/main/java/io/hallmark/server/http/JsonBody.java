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
            throw new HttpError(400, reason(e));
        } catch (IOException e) {
            // Jackson guesses the encoding of a byte array and may find it is none (CharConversionException).
            throw new HttpError(400, "malformed JSON: not UTF-8, UTF-16 or UTF-32 text");
        }
        if (value == null) throw new HttpError(400, "expected a JSON object, not null");
        return value;
    }

    /**
     * What was wrong, in words of the request: Jackson's own messages name the Java class a body is read into
     * ({@code io.hallmark.server.api.SettingRoutes$EnrollToken}) and quote the input at length, neither of which is
     * for the client (a fuzzing finding: {@code unknown-field-named-the-record-class.json}).
     */
    public static String reason(JsonProcessingException e) {
        return switch (e) {
            case com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u -> "unknown field " + field(u.getPath());
            case com.fasterxml.jackson.databind.exc.MismatchedInputException m when !m.getPath().isEmpty() ->
                    "field " + field(m.getPath()) + " does not have the expected type";
            case com.fasterxml.jackson.databind.exc.MismatchedInputException m -> "expected a JSON object";
            case com.fasterxml.jackson.core.exc.StreamConstraintsException c -> "JSON nested too deeply, or a number or name too long";
            case com.fasterxml.jackson.core.exc.InputCoercionException c -> "a number out of range" + at(c.getLocation());
            case com.fasterxml.jackson.core.JsonParseException p -> "malformed JSON" + at(p.getLocation());
            case com.fasterxml.jackson.databind.JsonMappingException m when !m.getPath().isEmpty() -> "field " + field(m.getPath()) + " is not valid";
            default -> "malformed JSON";
        };
    }

    /** The field's path as the client wrote it ({@code 'cats[2]'}, {@code 'partitions.x'}), escaped and cut short. */
    private static String field(java.util.List<com.fasterxml.jackson.databind.JsonMappingException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (var ref : path) {
            if (ref.getFieldName() != null) {
                if (!b.isEmpty()) b.append('.');
                b.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        String text = b.length() > 64 ? b.substring(0, 64) + "..." : b.toString();
        return "'" + io.hallmark.core.text.SafeText.escape(text) + "'";
    }

    private static String at(com.fasterxml.jackson.core.JsonLocation where) {
        return where == null || where.getLineNr() < 1 ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }
}
