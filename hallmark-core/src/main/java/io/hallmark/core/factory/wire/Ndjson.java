package io.hallmark.core.factory.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.hallmark.core.factory.BatchItem;
import io.hallmark.core.factory.BatchOutcome;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.FactoryResult;
import io.hallmark.core.factory.ItemSource;
import io.hallmark.core.factory.ResultReader;
import io.hallmark.core.factory.ResultSink;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The wire form shared by the server ({@code application/x-ndjson} request and response bodies) and the
 * CLI: one {@link FactoryItem} per request line, one {@link FactoryResult} per response line, same order.
 */
public final class Ndjson {

    /** Longest accepted line in bytes, without its line end: a PEM CSR of the largest accepted size plus the other fields. */
    public static final int MAX_LINE = 128 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectReader ITEM = JSON.readerFor(FactoryItem.class);
    private static final ObjectWriter WRITER = JSON.writer();
    /** Responses are read leniently: a newer server may add fields. */
    private static final ObjectReader RESULT = JSON.readerFor(FactoryResult.class)
            .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Ndjson() {
    }

    /**
     * Streams items from a body; a line that is not an item becomes an unreadable item, not a failure, and so
     * does a line longer than {@link #MAX_LINE} bytes, which is skipped without being held.
     */
    public static ItemSource items(InputStream in) {
        LineInput lines = new LineInput(in, MAX_LINE);
        return new ItemSource() {
            @Override
            public BatchItem next() throws Exception {
                int length;
                do {
                    try {
                        length = lines.next();
                    } catch (LineInput.TooLong e) {
                        return BatchItem.unreadable(e.getMessage() + "; skipped");
                    }
                    if (length < 0) {
                        return null;
                    }
                } while (blank(lines.line(), length));
                try {
                    return BatchItem.of(ITEM.readValue(lines.line(), 0, length));
                } catch (JsonProcessingException e) {
                    return BatchItem.unreadable("line " + lines.count() + " is not a factory item: " + e.getOriginalMessage());
                } catch (java.io.CharConversionException e) {
                    // Jackson guesses a byte array's encoding from its first bytes (RFC 4627), so a line that starts
                    // like UTF-32 and is not is refused by an IOException that is no JsonProcessingException (found by fuzzing).
                    return BatchItem.unreadable("line " + lines.count() + " is not a factory item: " + e.getMessage());
                }
            }

            @Override
            public void close() throws Exception {
                lines.close();
            }
        };
    }

    private static boolean blank(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') return false;
        }
        return true;
    }

    /** Writes one result per line, flushing after each chunk so a station sees answers as they commit. */
    public static ResultSink results(OutputStream out) {
        return new ResultSink() {
            @Override
            public void accept(BatchOutcome outcome) throws Exception {
                out.write(line(outcome.result()));
            }

            @Override
            public void chunkDone(BatchProgress progress) throws Exception {
                out.flush();
            }
        };
    }

    /**
     * Reads a response body (what a station does): one result per line. A line without {@code status}
     * ({@code {"error": ...}}, written when the server had to stop after the response started) is an
     * IOException with the server's reason, as is a line that is not JSON.
     */
    public static ResultReader resultReader(InputStream in) {
        LineInput lines = new LineInput(in, MAX_LINE);
        return new ResultReader() {
            @Override
            public FactoryResult next() throws java.io.IOException {
                int length;
                do {
                    try {
                        length = lines.next();
                    } catch (LineInput.TooLong e) {
                        throw new java.io.IOException("unreadable response: " + e.getMessage());
                    }
                    if (length < 0) {
                        return null;
                    }
                } while (blank(lines.line(), length));
                FactoryResult r = RESULT.readValue(lines.line(), 0, length);
                if (r.status() == null) {
                    throw new java.io.IOException("the server stopped the batch: "
                            + (r.error() == null ? new String(lines.line(), 0, length, StandardCharsets.UTF_8) : r.error()));
                }
                return r;
            }

            @Override
            public boolean ready() throws java.io.IOException {
                return lines.available() > 0;
            }
        };
    }

    /** The last line of a response that failed after it started: {@code {"error": reason}}. */
    public static byte[] stopLine(String reason) {
        return line(java.util.Map.of("error", reason));
    }

    public static byte[] line(Object value) {
        try {
            byte[] json = WRITER.writeValueAsBytes(value);
            byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toJson(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
