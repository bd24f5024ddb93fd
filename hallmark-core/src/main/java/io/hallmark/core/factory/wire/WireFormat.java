package io.hallmark.core.factory.wire;

import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.ItemSource;
import io.hallmark.core.factory.ResultReader;
import io.hallmark.core.factory.ResultSink;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The two wire forms of a factory batch, named once for the server (which reads a batch in one and answers
 * in it) and the station client: how each reads and writes its records. Which HTTP media type labels which
 * form is hallmark-server's to say, not core's.
 */
public enum WireFormat {

    /** One JSON object a line ({@link Ndjson}): readable, curl-friendly; CSR and certificate as text. */
    NDJSON("ndjson", "one JSON device request a line") {
        @Override
        public ItemSource items(InputStream in) {
            return Ndjson.items(in);
        }

        @Override
        public ResultSink results(OutputStream out) {
            return Ndjson.results(out);
        }

        @Override
        public ResultReader resultReader(InputStream in) {
            return Ndjson.resultReader(in);
        }

        @Override
        public ItemEncoder itemEncoder() {
            return Ndjson::line;
        }

        @Override
        public byte[] stopRecord(String reason) {
            return Ndjson.stopLine(reason);
        }
    },

    /** Length-prefixed CBOR maps ({@link Frames}): CSR and certificate as DER byte strings. */
    FRAMES("frames", "length-prefixed CBOR frames") {
        @Override
        public ItemSource items(InputStream in) {
            return Frames.items(in);
        }

        @Override
        public ResultSink results(OutputStream out) {
            return Frames.results(out);
        }

        @Override
        public ResultReader resultReader(InputStream in) {
            return Frames.resultReader(in);
        }

        @Override
        public ItemEncoder itemEncoder() {
            return new Frames.Encoder()::item;
        }

        @Override
        public byte[] stopRecord(String reason) {
            return Frames.stopFrame(reason);
        }
    };

    private final String id;
    private final String description;

    WireFormat(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The short name the CLI takes ({@code --wire ndjson|frames}). */
    public String id() {
        return id;
    }

    /** What it is, for people: "one JSON device request a line". */
    public String description() {
        return description;
    }

    /** Server side: the request body's items. */
    public abstract ItemSource items(InputStream in);

    /** Server side: the response body, one record per result, flushed per chunk. */
    public abstract ResultSink results(OutputStream out);

    /** Client side: the response body's results. */
    public abstract ResultReader resultReader(InputStream in);

    /** Client side: a request record encoder (one per writing thread). */
    public abstract ItemEncoder itemEncoder();

    /** The record a response ends with when the server had to stop after the response started. */
    public abstract byte[] stopRecord(String reason);

    /** Encodes request items into records (a line or a frame), each a new array. Not thread-safe. */
    @FunctionalInterface
    public interface ItemEncoder {
        byte[] encode(FactoryItem item);
    }

    /** The format of a short name ({@code ndjson}, {@code frames}); null for any other. */
    public static WireFormat named(String id) {
        for (WireFormat f : values()) {
            if (f.id.equalsIgnoreCase(id)) return f;
        }
        return null;
    }
}
