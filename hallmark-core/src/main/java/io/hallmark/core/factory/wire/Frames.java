package io.hallmark.core.factory.wire;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.hallmark.core.factory.BatchItem;
import io.hallmark.core.factory.BatchOutcome;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.FactoryResult;
import io.hallmark.core.factory.ItemSource;
import io.hallmark.core.factory.ResultReader;
import io.hallmark.core.factory.ResultSink;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The binary wire form ({@link WireFormat#FRAMES}), the alternative to {@link Ndjson}: a body is a sequence of
 * frames, each a 4-byte big-endian unsigned length N followed by N bytes holding exactly one CBOR map
 * (RFC 8949); the body ends after the last frame. Request frames carry a {@link FactoryItem} (field
 * names as in NDJSON, {@code csr} a byte string holding the DER), response frames a {@link FactoryResult}
 * ({@code certificate} a byte string holding the DER), one per item, same order. No base64, no PEM.
 * <p>
 * Bad input is handled as NDJSON handles it: a frame that is not an item, or longer than
 * {@link #MAX_FRAME} (skipped without being read into memory), becomes an unreadable item and the batch
 * goes on; a body that ends inside a frame's length or body becomes one, and then the end. Memory is one
 * frame buffer (at most {@link #MAX_FRAME}) whatever the batch size.
 */
public final class Frames {

    /** Longest accepted frame body: the same bound as an NDJSON line. */
    public static final int MAX_FRAME = Ndjson.MAX_LINE;

    private static final CBORFactory CBOR = CBORFactory.builder().build();

    private Frames() {
    }

    /** Streams items from a body; a frame that is not an item becomes an unreadable item, not a failure. */
    public static ItemSource items(InputStream in) {
        FrameInput frames = new FrameInput(in);
        return new ItemSource() {
            @Override
            public BatchItem next() throws IOException {
                int length;
                try {
                    length = frames.next();
                } catch (BadFrame e) {
                    return BatchItem.unreadable(e.getMessage());
                }
                if (length < 0) {
                    return null;
                }
                try {
                    return BatchItem.of(item(frames.buffer(), length));
                } catch (BadFrame e) {
                    return BatchItem.unreadable("frame " + frames.count() + " is not a factory item: " + e.getMessage());
                } catch (IOException | RuntimeException e) {
                    return BatchItem.unreadable("frame " + frames.count() + " is not a factory item: " + message(e));
                }
            }

            @Override
            public void close() throws IOException {
                frames.close();
            }
        };
    }

    /** Writes one frame per result, flushing after each chunk so a station sees answers as they commit. */
    public static ResultSink results(OutputStream out) {
        Encoder encoder = new Encoder();
        return new ResultSink() {
            @Override
            public void accept(BatchOutcome outcome) throws Exception {
                encoder.writeResult(outcome.result(), out);
            }

            @Override
            public void chunkDone(BatchProgress progress) throws Exception {
                out.flush();
            }
        };
    }

    /**
     * Reads a response body (what a station does): one result per frame. A frame without {@code status}
     * ({@code {"error": ...}}, written when the server had to stop after the response started) is an
     * IOException with the server's reason, as is any frame that cannot be read.
     */
    public static ResultReader resultReader(InputStream in) {
        FrameInput frames = new FrameInput(in);
        return new ResultReader() {
            @Override
            public FactoryResult next() throws IOException {
                int length;
                try {
                    length = frames.next();
                } catch (BadFrame e) {
                    throw new IOException("unreadable response: " + e.getMessage(), e);
                }
                if (length < 0) {
                    return null;
                }
                FactoryResult r;
                try {
                    r = result(frames.buffer(), length);
                } catch (BadFrame | RuntimeException e) {
                    throw new IOException("response frame " + frames.count() + " is not a factory result: " + message(e), e);
                }
                if (r.status() == null) {
                    throw new IOException("the server stopped the batch: " + (r.error() == null ? "no reason given" : r.error()));
                }
                return r;
            }

            @Override
            public boolean ready() throws IOException {
                return frames.available() > 0;
            }
        };
    }

    /** The last frame of a response that failed after it started: {@code {"error": reason}}. */
    public static byte[] stopFrame(String reason) {
        Encoder e = new Encoder();
        try {
            e.begin();
            e.gen.writeStartObject(null, 1);
            e.gen.writeStringField("error", reason);
            e.gen.writeEndObject();
            return e.end();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * Encodes frames into one reused buffer with one reused CBOR generator: the cheap way to write many.
     * Not thread-safe; one per writer.
     */
    public static final class Encoder {
        private final Buffer buffer = new Buffer();
        private final CBORGenerator gen;

        public Encoder() {
            try {
                gen = CBOR.createGenerator(buffer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** One request frame (length and CBOR map), as a new array. */
        public byte[] item(FactoryItem item) {
            try {
                begin();
                writeItem(item);
                return end();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** One response frame (length and CBOR map), as a new array. */
        public byte[] result(FactoryResult result) {
            try {
                begin();
                writeResult(result);
                return end();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** One response frame, straight to {@code out} without a copy. */
        public void writeResult(FactoryResult result, OutputStream out) throws IOException {
            begin();
            writeResult(result);
            finish();
            out.write(buffer.array(), 0, buffer.size());
        }

        private void begin() {
            buffer.reset();
            buffer.write(0);
            buffer.write(0);
            buffer.write(0);
            buffer.write(0);
        }

        /** Patches the length in and returns the frame. */
        private byte[] end() throws IOException {
            finish();
            return buffer.toByteArray();
        }

        private void finish() throws IOException {
            gen.flush();
            int n = buffer.size() - 4;
            byte[] a = buffer.array();
            a[0] = (byte) (n >>> 24);
            a[1] = (byte) (n >>> 16);
            a[2] = (byte) (n >>> 8);
            a[3] = (byte) n;
        }

        private void writeItem(FactoryItem item) throws IOException {
            // Text (PEM, base64) is decoded here, on the station; an item from a DER source goes out as it is.
            byte[] csr = item.hasDer() || (item.csr() != null && !item.csr().isBlank()) ? item.csrDer() : null;
            int size = count(item.deviceSerial(), csr, item.hwType(), item.hwSerial(), item.keyStorage());
            gen.writeStartObject(null, size);
            text("deviceSerial", item.deviceSerial());
            if (csr != null) {
                gen.writeFieldName("csr");
                gen.writeBinary(csr);
            }
            text("hwType", item.hwType());
            text("hwSerial", item.hwSerial());
            text("keyStorage", item.keyStorage());
            gen.writeEndObject();
        }

        private void writeResult(FactoryResult r) throws IOException {
            byte[] der = r.certificateDer();
            int size = 1 + count(r.deviceSerial(), r.status(), r.serial(), der, r.fingerprint(), r.keySha256(), r.notAfter(), r.error(), r.errorKind());
            gen.writeStartObject(null, size);
            gen.writeNumberField("index", r.index());
            text("deviceSerial", r.deviceSerial());
            text("status", r.status());
            text("serial", r.serial());
            if (der != null) {
                gen.writeFieldName("certificate");
                gen.writeBinary(der);
            }
            text("fingerprint", r.fingerprint());
            text("keySha256", r.keySha256());
            text("notAfter", r.notAfter());
            text("error", r.error());
            text("errorKind", r.errorKind());
            gen.writeEndObject();
        }

        private void text(String name, String value) throws IOException {
            if (value != null) {
                gen.writeStringField(name, value);
            }
        }

        private static int count(Object... values) {
            int n = 0;
            for (Object v : values) {
                if (v != null) n++;
            }
            return n;
        }
    }

    /** Decodes one request frame's CBOR map. */
    static FactoryItem item(byte[] frame, int length) throws IOException, BadFrame {
        try (CBORParser p = (CBORParser) CBOR.createParser(frame, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadFrame("it does not hold a CBOR map");
            }
            String deviceSerial = null, hwType = null, hwSerial = null, keyStorage = null;
            byte[] csr = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "deviceSerial" -> deviceSerial = text(p, value, name);
                    case "csr" -> csr = bytes(p, value, name);
                    case "hwType" -> hwType = text(p, value, name);
                    case "hwSerial" -> hwSerial = text(p, value, name);
                    case "keyStorage" -> keyStorage = text(p, value, name);
                    default -> throw new BadFrame("unknown field '" + name + "' (known: deviceSerial, csr, hwType, hwSerial, keyStorage)");
                }
            }
            if (p.nextToken() != null) {
                throw new BadFrame("it holds more than one CBOR item");
            }
            return FactoryItem.withDer(deviceSerial, csr, hwType, hwSerial, keyStorage);
        }
    }

    /** Decodes one response frame's CBOR map; fields it does not know are skipped (a newer server may add some). */
    static FactoryResult result(byte[] frame, int length) throws IOException, BadFrame {
        try (CBORParser p = (CBORParser) CBOR.createParser(frame, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadFrame("it does not hold a CBOR map");
            }
            long index = -1;
            String deviceSerial = null, status = null, serial = null, fingerprint = null, keySha256 = null, notAfter = null, error = null, errorKind = null;
            byte[] certificate = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "index" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) throw new BadFrame("index must be an integer");
                        index = p.getLongValue();
                    }
                    case "deviceSerial" -> deviceSerial = text(p, value, name);
                    case "status" -> status = text(p, value, name);
                    case "serial" -> serial = text(p, value, name);
                    case "certificate" -> certificate = bytes(p, value, name);
                    case "fingerprint" -> fingerprint = text(p, value, name);
                    case "keySha256" -> keySha256 = text(p, value, name);
                    case "notAfter" -> notAfter = text(p, value, name);
                    case "error" -> error = text(p, value, name);
                    case "errorKind" -> errorKind = text(p, value, name);
                    default -> p.skipChildren();
                }
            }
            return FactoryResult.withDer(index, deviceSerial, status, serial, certificate, fingerprint, keySha256, notAfter, error, errorKind);
        }
    }

    private static String text(CBORParser p, JsonToken value, String name) throws IOException, BadFrame {
        if (value == JsonToken.VALUE_NULL) return null;
        if (value != JsonToken.VALUE_STRING) throw new BadFrame(name + " must be a text string");
        return p.getText();
    }

    private static byte[] bytes(CBORParser p, JsonToken value, String name) throws IOException, BadFrame {
        if (value == JsonToken.VALUE_NULL) return null;
        if (value != JsonToken.VALUE_EMBEDDED_OBJECT) throw new BadFrame(name + " must be a byte string holding the DER");
        return p.getBinaryValue();
    }

    private static String message(Exception e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
    }

    /** A frame (or the framing itself) that cannot be read; the message says which and why. */
    static final class BadFrame extends Exception {
        BadFrame(String message) {
            super(message, null, false, false);
        }
    }

    /** The framing: lengths, the size limit, skipping, truncation. One reused buffer of at most {@link #MAX_FRAME}. */
    static final class FrameInput {
        private final InputStream in;
        private final byte[] head = new byte[4];
        private byte[] buffer = new byte[4096];
        private long frames;
        private boolean ended;

        FrameInput(InputStream in) {
            this.in = new BufferedInputStream(in, 64 * 1024);
        }

        byte[] buffer() {
            return buffer;
        }

        /** Frames started so far: the number of the current one, from 1. */
        long count() {
            return frames;
        }

        int available() throws IOException {
            return ended ? 0 : in.available();
        }

        /**
         * Reads the next frame's body into {@link #buffer()}.
         *
         * @return its length; -1 at the end of the body (after a truncated frame too)
         * @throws BadFrame for a frame too long (skipped; the next call reads the one after it) or cut short
         */
        int next() throws IOException, BadFrame {
            if (ended) return -1;
            int got = in.readNBytes(head, 0, 4);
            if (got == 0) {
                ended = true;
                return -1;
            }
            frames++;
            if (got < 4) {
                ended = true;
                throw new BadFrame("frame " + frames + " is cut short: the body ends inside its 4-byte length (" + got + " of 4 bytes)");
            }
            long length = ((head[0] & 0xffL) << 24) | ((head[1] & 0xffL) << 16) | ((head[2] & 0xffL) << 8) | (head[3] & 0xffL);
            if (length > MAX_FRAME) {
                String tooLong = "frame " + frames + " is " + length + " bytes, longer than the " + MAX_FRAME + " accepted";
                try {
                    in.skipNBytes(length);
                } catch (EOFException e) {
                    ended = true;
                    throw new BadFrame(tooLong + ", and the body ends inside it");
                }
                throw new BadFrame(tooLong + "; skipped");
            }
            int n = (int) length;
            if (buffer.length < n) {
                buffer = Arrays.copyOf(buffer, Math.min(MAX_FRAME, Math.max(n, buffer.length * 2)));
            }
            int read = in.readNBytes(buffer, 0, n);
            if (read < n) {
                ended = true;
                throw new BadFrame("frame " + frames + " is cut short: its length says " + n + " bytes, the body ends after " + read);
            }
            return n;
        }

        void close() throws IOException {
            in.close();
        }
    }

    /** A ByteArrayOutputStream whose array can be written out without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(4096);
        }

        byte[] array() {
            return buf;
        }
    }
}
