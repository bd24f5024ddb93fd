package io.hallmark.cli.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.error.Unreachable;
import io.hallmark.core.factory.BatchItem;
import io.hallmark.core.factory.BatchOutcome;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.FactoryResult;
import io.hallmark.core.factory.ItemSource;
import io.hallmark.core.factory.ResultReader;
import io.hallmark.core.factory.ResultSink;
import io.hallmark.core.factory.wire.Ndjson;
import io.hallmark.core.factory.wire.WireFormat;
import io.hallmark.server.factory.FactoryMediaTypes;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Runs a batch on a Hallmark server: the items go out as one request body to
 * {@code POST /api/v1/factory/{ca}/{profile}} (mutual TLS with the station's certificate) while the results
 * are read back as the server commits them, on one connection, full duplex. The body is NDJSON or
 * length-prefixed CBOR frames ({@link WireFormat}); the server answers in the same one.
 * <p>
 * Why a socket and not {@code java.net.http.HttpClient} for the batch: for HTTP/1.1 the JDK client hands
 * out the response only after the whole request body was sent, while the server answers (and, by TCP
 * back-pressure, stops reading) as it goes, so a large batch would stall. Here a feeder thread writes the
 * request body (chunked) while the calling thread reads the response (chunked). The chain is fetched with
 * HttpClient, a plain GET.
 * <p>
 * Memory is bounded: at most {@link #WINDOW} items are sent and not yet answered; the feeder waits for
 * answers beyond that. Those unanswered items are exactly what a retry sends again: after a lost
 * connection (server killed, network) the next attempt resends them first, then continues with the
 * source, and the server answers the already-committed ones {@code existing}. With no retries left the run
 * throws, saying how many results arrived; running the same command again completes the batch.
 */
public final class RemoteRunner implements BatchRunner {

    /** Items in flight: a few server chunks (1000 each) plus what sits in socket buffers. */
    static final int WINDOW = 8192;
    private static final int BODY_CHUNK = 32 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final String ca;
    private final String profile;
    private final SSLContext tls;
    private final int retries;
    /** Items the source holds, when known: each request declares what it will send ({@code ?size=}) for the batch's progress. */
    private volatile Long declared;
    private final PrintStream log;
    private final WireFormat wire;

    public RemoteRunner(URI server, String ca, String profile, SSLContext tls, int retries, PrintStream log, WireFormat wire) {
        if (!"https".equals(server.getScheme()) || server.getHost() == null) {
            throw HallmarkException.badInput("--server must be an https:// URL, e.g. https://hallmark.example:8443");
        }
        this.server = server;
        this.ca = ca;
        this.profile = profile;
        this.tls = tls;
        this.retries = retries;
        this.log = log;
        this.wire = wire;
    }

    /** Declares the batch's size to the server; a retried request declares what is left. */
    public RemoteRunner declaring(long items) {
        this.declared = items < 0 ? null : items;
        return this;
    }

    private int port() {
        return server.getPort() < 0 ? 443 : server.getPort();
    }

    private String path(String... segments) {
        StringBuilder b = new StringBuilder(server.getRawPath() == null ? "" : server.getRawPath().replaceAll("/+$", ""));
        b.append("/api/v1/factory");
        for (String s : segments) b.append('/').append(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
        return b.toString();
    }

    @Override
    public String chainPem() {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create("https://" + server.getRawAuthority() + path(ca, "chain"));
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw refusal(r.statusCode(), r.body());
            return r.body();
        } catch (IOException e) {
            throw Unreachable.of(e, server.getHost(), port(), "cannot reach " + server).orElseGet(() ->
                    new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot reach " + server + ": " + reason(e), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "interrupted", e);
        } finally {
            client.close();
        }
    }

    /**
     * An item sent (or, when the source could not read it, to be answered here) and not yet answered;
     * {@code record} is its encoded line or frame, kept to be sent again after a lost connection.
     */
    private record Pending(BatchItem item, byte[] record) {
        boolean local() {
            return record == null;
        }
    }

    /** State shared by all attempts of one run. */
    private static final class Run {
        final ItemSource source;
        final ResultSink sink;
        final long started = System.nanoTime();
        final ArrayDeque<Pending> pending = new ArrayDeque<>(); // guarded by itself
        final Semaphore window = new Semaphore(WINDOW);
        long done, issued, existing, failed;
        boolean sourceDone; // guarded by pending
        volatile Exception sourceFailure;

        Run(ItemSource source, ResultSink sink) {
            this.source = source;
            this.sink = sink;
        }

        BatchProgress progress() {
            return new BatchProgress(done, issued, existing, failed, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }

        Pending poll() {
            synchronized (pending) {
                Pending p = pending.pollFirst();
                if (p != null) window.release();
                return p;
            }
        }

        Pending peek() {
            synchronized (pending) {
                return pending.peekFirst();
            }
        }

        int unanswered() {
            synchronized (pending) {
                return pending.size();
            }
        }

        boolean finished() {
            synchronized (pending) {
                return sourceDone && pending.isEmpty();
            }
        }

        void emit(Pending p, FactoryResult r) throws Exception {
            done++;
            switch (r.status()) {
                case FactoryResult.ISSUED -> issued++;
                case FactoryResult.EXISTING -> existing++;
                default -> failed++;
            }
            sink.accept(new BatchOutcome(r, p.item().item(), p.item().attachment()));
        }

        /** Items the source could not read are answered here, in their place, as the engine would. */
        void emitLocalHead() throws Exception {
            for (Pending p = peek(); p != null && p.local(); p = peek()) {
                poll();
                emit(p, FactoryResult.error(done, p.item().item() == null ? null : p.item().item().deviceSerial(),
                        p.item().inputError(), HallmarkException.Kind.BAD_INPUT.name()));
            }
        }
    }

    @Override
    public BatchProgress run(ItemSource source, ResultSink sink) {
        Run run = new Run(source, sink);
        int attempt = 0;
        while (true) {
            try {
                attempt(run);
                run.sink.chunkDone(run.progress());
                return run.progress();
            } catch (HallmarkException e) {
                flush(run);
                throw e;
            } catch (Exception e) {
                flush(run);
                if (run.sourceFailure != null) {
                    throw new HallmarkException(HallmarkException.Kind.BAD_INPUT, "cannot read the items: " + run.sourceFailure.getMessage(), run.sourceFailure);
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new HallmarkException(HallmarkException.Kind.INTERNAL, "interrupted after " + run.done + " results", e);
                }
                String why = reason(e);
                if (attempt < retries) {
                    attempt++;
                    long wait = Math.min(10, 1L << Math.min(attempt - 1, 3));
                    log.println("hallmark: connection to " + server + " lost after " + run.done + " results (" + why + "); retry "
                            + attempt + " of " + retries + " in " + wait + " s, resending " + run.unanswered() + " unanswered items");
                    log.flush();
                    sleep(wait);
                    continue;
                }
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "batch interrupted after " + run.done + " results ("
                        + run.issued + " issued, " + run.existing + " existing, " + run.failed + " refused): " + why
                        + "; run the same command again to complete it", e);
            }
        }
    }

    private static void flush(Run run) {
        try {
            run.sink.chunkDone(run.progress());
        } catch (Exception ignored) {
            // the failure being reported matters more
        }
    }

    private void attempt(Run run) throws Exception {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        Thread feeder = null;
        try {
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (!server.getHost().matches("[0-9.]+|\\[.*\\]")) params.setServerNames(List.of(new SNIHostName(server.getHost())));
            socket.setSSLParameters(params);
            socket.connect(new InetSocketAddress(server.getHost(), port()), 10_000);
            socket.startHandshake();
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), BODY_CHUNK + 64);
            Long size = declared;
            String query = size == null ? "" : "?size=" + Math.max(0, size - run.done);
            out.write(("POST " + path(ca, profile) + query + " HTTP/1.1\r\nHost: " + server.getRawAuthority()
                    + "\r\nContent-Type: " + FactoryMediaTypes.of(wire) + "\r\nAccept: " + FactoryMediaTypes.of(wire)
                    + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            List<Pending> resend;
            synchronized (run.pending) {
                resend = new ArrayList<>(run.pending);
            }
            WireFormat.ItemEncoder encoder = wire.itemEncoder();
            feeder = Thread.ofPlatform().name("factory-feeder").daemon().start(() -> feed(run, resend, encoder, out, socket));
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            Head head = readHead(in);
            InputStream body = head.chunked ? new ChunkedInput(in) : in;
            if (head.status != 200) {
                throw refusal(head.status, new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8));
            }
            // The server's name for this request's batch (each retry is a batch of its own there).
            if (head.batch != null) run.sink.started(head.batch);
            ResultReader results = wire.resultReader(body);
            long sinceFlush = 0;
            FactoryResult r;
            while ((r = results.next()) != null) {
                run.emitLocalHead();
                Pending p = run.poll();
                if (p == null) throw new IOException("the server answered more items than were sent");
                if (r.deviceSerial() != null && !r.deviceSerial().equals(p.item().item().deviceSerial())) {
                    throw new IOException("answer out of order: expected " + p.item().item().deviceSerial() + ", got " + r.deviceSerial());
                }
                // The server numbers within its request; a retried run's requests start again at 0.
                run.emit(p, r.withIndex(run.done));
                if (++sinceFlush >= 1000 || !results.ready()) {
                    run.sink.chunkDone(run.progress());
                    sinceFlush = 0;
                }
            }
            run.emitLocalHead();
            feeder.join();
            if (run.sourceFailure != null) throw run.sourceFailure;
            if (!run.finished()) {
                throw new EOFException("the response ended with " + run.unanswered() + " items unanswered");
            }
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
            if (feeder != null) feeder.join();
        }
    }

    private record Head(int status, boolean chunked, String batch) {
    }

    private static Head readHead(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.")) throw new EOFException("connection closed before the response");
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        boolean chunked = false;
        String batch = null;
        for (String h = readLine(in); h != null && !h.isEmpty(); h = readLine(in)) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("Hallmark-Batch")) {
                String id = h.substring(colon + 1).trim();
                if (id.matches("[0-9a-f]{24}")) batch = id;
            }
            if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("Transfer-Encoding")
                    && h.substring(colon + 1).toLowerCase().contains("chunked")) {
                chunked = true;
            }
        }
        return new Head(status, chunked, batch);
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (b.size() > 16 * 1024) throw new IOException("HTTP header line too long");
            b.write(c);
        }
        if (c == -1 && b.size() == 0) return null;
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** The request body: first what the previous attempt left unanswered, then the rest of the source. */
    private static void feed(Run run, List<Pending> resend, WireFormat.ItemEncoder encoder, OutputStream out, SSLSocket socket) {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(BODY_CHUNK + Ndjson.MAX_LINE);
        try {
            for (Pending p : resend) {
                if (p.local()) continue;
                chunk.write(p.record());
                if (chunk.size() >= BODY_CHUNK) writeChunk(out, chunk);
            }
            while (true) {
                synchronized (run.pending) {
                    if (run.sourceDone) break;
                }
                if (!run.window.tryAcquire()) {
                    writeChunk(out, chunk); // the server needs what is buffered to finish its chunk and answer
                    out.flush();
                    if (socket.isClosed()) return;
                    if (!run.window.tryAcquire(200, TimeUnit.MILLISECONDS)) continue;
                }
                BatchItem item;
                try {
                    item = run.source.next();
                } catch (Exception e) {
                    run.sourceFailure = e;
                    socket.close();
                    return;
                }
                Pending p = item == null ? null : encode(item, encoder);
                synchronized (run.pending) {
                    if (p == null) {
                        run.sourceDone = true;
                        run.window.release();
                        break;
                    }
                    run.pending.addLast(p);
                }
                if (!p.local()) {
                    chunk.write(p.record());
                    if (chunk.size() >= BODY_CHUNK) writeChunk(out, chunk);
                }
            }
            writeChunk(out, chunk);
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException | InterruptedException e) {
            // the connection is gone: the reader reports it, and a retry resends what is unanswered
        }
    }

    /** An item with its record; one that cannot be encoded (frames: a CSR text that is not PEM or base64) is answered here. */
    private static Pending encode(BatchItem item, WireFormat.ItemEncoder encoder) {
        if (item.item() == null) return new Pending(item, null);
        try {
            return new Pending(item, encoder.encode(item.item()));
        } catch (HallmarkException e) {
            return new Pending(new BatchItem(item.item(), e.getMessage(), item.attachment()), null);
        }
    }

    private static void writeChunk(OutputStream out, ByteArrayOutputStream chunk) throws IOException {
        if (chunk.size() == 0) return;
        out.write((Integer.toHexString(chunk.size()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        chunk.writeTo(out);
        out.write('\r');
        out.write('\n');
        chunk.reset();
    }

    private static HallmarkException refusal(int status, String body) {
        String message = body;
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("error")) message = node.get("error").asText();
            else if (node != null && node.hasNonNull("message")) message = node.get("message").asText();
        } catch (IOException e) {
            // not JSON: the body as it is
        }
        message = "server refused the batch (HTTP " + status + "): " + message.strip();
        HallmarkException.Kind kind = switch (status) {
            case 400, 413, 415 -> HallmarkException.Kind.BAD_INPUT;
            case 401 -> HallmarkException.Kind.UNAUTHENTICATED;
            case 403 -> HallmarkException.Kind.FORBIDDEN;
            case 404 -> HallmarkException.Kind.NOT_FOUND;
            case 409 -> HallmarkException.Kind.CONFLICT;
            default -> HallmarkException.Kind.INTERNAL;
        };
        return new HallmarkException(kind, message);
    }

    /** Why a connection was lost, for the retry log and the final line; a failed reconnection names the address. */
    private String reason(Exception e) {
        var unreachable = Unreachable.reason(e, server.getHost(), port());
        if (unreachable.isPresent()) return unreachable.get();
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) t = t.getCause();
        String m = t.getMessage();
        if (m != null) return m;
        return t instanceof java.io.EOFException ? "connection closed by the server" : t.getClass().getSimpleName();
    }

    private static void sleep(long seconds) {
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "interrupted", e);
        }
    }

    /** HTTP/1.1 chunked transfer coding, decoded; EOF at the last chunk. A connection cut mid-body is an EOFException. */
    static final class ChunkedInput extends InputStream {
        private final InputStream in;
        private long left;
        private boolean started;
        private boolean end;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        private boolean ensure() throws IOException {
            if (end) return false;
            if (left == 0) {
                if (started && !"".equals(readLine(in))) throw new EOFException("connection closed mid-response");
                started = true;
                String size = readLine(in);
                if (size == null) throw new EOFException("connection closed mid-response");
                int semi = size.indexOf(';');
                left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (left == 0) {
                    for (String t = readLine(in); t != null && !t.isEmpty(); t = readLine(in)) {
                        // trailers: none expected
                    }
                    end = true;
                    return false;
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            if (!ensure()) return -1;
            int c = in.read();
            if (c < 0) throw new EOFException("connection closed mid-response");
            left--;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!ensure()) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new EOFException("connection closed mid-response");
            left -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return end || left == 0 ? 0 : (int) Math.min(left, in.available());
        }
    }
}
