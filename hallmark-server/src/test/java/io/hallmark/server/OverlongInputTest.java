package io.hallmark.server;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.FactoryResult;
import io.hallmark.core.factory.ResultReader;
import io.hallmark.core.factory.wire.Frames;
import io.hallmark.core.factory.wire.Ndjson;
import io.hallmark.core.factory.wire.WireFormat;
import io.hallmark.core.station.StationCredentials;
import io.hallmark.core.station.StationSpec;
import io.hallmark.server.factory.FactoryMediaTypes;
import io.hallmark.testing.Peers;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A factory batch with one record far longer than accepted, streamed by curl (as a station over mutual TLS)
 * from bytes generated as they are sent: the record is answered in line, the batch goes on, the next batch
 * works, and the server (this JVM; curl is another process) never holds the record: JFR's record of
 * allocations outside thread-local buffers (where every large array goes) shows none anywhere near its size.
 * Total allocation would not show it: the TLS and virtual-thread machinery allocates per record received.
 */
class OverlongInputTest {

    /** Large enough that holding it shows in the allocation, small enough to stream in a second or two. */
    private static final long RECORD = 48L << 20;

    @TempDir
    static Path dir;
    static ServerFixture f;
    static Path cert;
    static Path key;

    @BeforeAll
    static void start() throws Exception {
        Peers.tool("curl");
        f = ServerFixture.start(dir);
        StationCredentials c = f.hallmark.stations().create(new StationSpec("line-long", null, null, List.of("idevid-ca"), List.of("idevid"),
                null, null, null, null), null, "test");
        cert = Files.writeString(dir.resolve("station.pem"), Pem.certificate(c.certificate()));
        key = Files.writeString(dir.resolve("station.key"), c.privateKeyPem());
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    @Test
    void anOverlongNdjsonLineIsAnsweredInLineAndTheBatchGoesOn() throws Exception {
        byte[] first = Ndjson.line(item("LONG-N-1"));
        byte[] last = Ndjson.line(item("LONG-N-2"));
        Batch batch = stream(WireFormat.NDJSON, first, 'a', RECORD, concat(new byte[]{'\n'}, last));

        assertTrue(batch.largestAllocation < RECORD / 16, "the server allocated " + batch.largestAllocation + " bytes at once reading a " + RECORD + "-byte line");

        assertEquals(3, batch.results.size(), batch.results.toString());
        assertEquals(FactoryResult.ISSUED, batch.results.get(0).status(), batch.results.get(0).toString());
        assertEquals(FactoryResult.ERROR, batch.results.get(1).status());
        assertEquals("line 2 is " + RECORD + " bytes, longer than the " + Ndjson.MAX_LINE + " accepted; skipped", batch.results.get(1).error());
        assertEquals(FactoryResult.ISSUED, batch.results.get(2).status(), batch.results.get(2).toString());

        // The next batch on the same server works.
        Batch next = stream(WireFormat.NDJSON, Ndjson.line(item("LONG-N-3")), 'a', 0, new byte[0]);
        assertEquals(1, next.results.size(), next.results.toString());
        assertEquals(FactoryResult.ISSUED, next.results.getFirst().status());
    }

    @Test
    void anOverlongFrameIsAnsweredInLineAndTheBatchGoesOn() throws Exception {
        Frames.Encoder encoder = new Frames.Encoder();
        byte[] length = {(byte) (RECORD >>> 24), (byte) (RECORD >>> 16), (byte) (RECORD >>> 8), (byte) RECORD};
        Batch batch = stream(WireFormat.FRAMES, concat(encoder.item(item("LONG-F-1")), length), 0, RECORD, encoder.item(item("LONG-F-2")));

        assertTrue(batch.largestAllocation < RECORD / 16, "the server allocated " + batch.largestAllocation + " bytes at once reading a " + RECORD + "-byte frame");

        assertEquals(3, batch.results.size(), batch.results.toString());
        assertEquals(FactoryResult.ISSUED, batch.results.get(0).status(), batch.results.get(0).toString());
        assertEquals("frame 2 is " + RECORD + " bytes, longer than the " + Frames.MAX_FRAME + " accepted; skipped", batch.results.get(1).error());
        assertEquals(FactoryResult.ISSUED, batch.results.get(2).status(), batch.results.get(2).toString());
    }

    /**
     * EST, JSON and OCSP bodies are read whole, so they are refused with 413 as soon as they pass their limit:
     * a chunked body that never ends (declaring no length) gets its answer while the client is still sending.
     */
    @Test
    void boundedBodiesAreRefusedWhileTheyStream() throws Exception {
        String token = f.hallmark.credentials().createToken(io.hallmark.core.principal.Role.ADMIN, "long-bodies", "test");
        String serial = f.hallmark.issuer().issue(new io.hallmark.core.issue.IssuanceRequest("idevid-ca", "idevid",
                Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("CN=x")), "LONG-BODY", null, "test")).certificate().serial();
        record Case(java.net.URI base, String head, int limit) {
        }
        for (Case c : List.of(
                new Case(f.server.httpUri(), "POST /ocsp HTTP/1.1\r\nContent-Type: application/ocsp-request\r\n", 16 * 1024),
                new Case(f.server.httpsUri(), "POST /.well-known/est/simpleenroll HTTP/1.1\r\nContent-Type: application/pkcs10\r\n", 32 * 1024),
                new Case(f.server.httpsUri(), "POST /api/v1/certificates/" + serial + "/revoke HTTP/1.1\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + token + "\r\n", 16 * 1024))) {
            String answer = endlessChunkedBody(c.base, c.head);
            assertTrue(answer.startsWith("HTTP/1.1 413 "), c.head + answer);
            assertTrue(answer.endsWith("\r\n\r\nrequest body is larger than the " + c.limit + " bytes accepted\n"), c.head + answer);
        }
        assertNull(f.hallmark.store().read(tx -> tx.certificates().find(serial)).orElseThrow().revocation(), "nothing revoked");
    }

    /** Sends the request with a chunked body of 'A's that goes on (up to 64 MB) until the server answers; the answer. */
    private static String endlessChunkedBody(java.net.URI base, String head) throws Exception {
        java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort());
        if (base.getScheme().equals("https")) {
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", TestTls.certificate(f.root));
            tmf.init(trust);
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            socket = tls.getSocketFactory().createSocket(socket, base.getHost(), base.getPort(), true);
        }
        try (java.net.Socket s = socket; var sending = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            OutputStream out = s.getOutputStream();
            out.write((head + "Host: " + base.getHost() + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            var sent = sending.submit(() -> {
                byte[] chunk = ("4000\r\n" + "A".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                long total = 0;
                try {
                    for (; total < 64L << 20; total += 0x4000) out.write(chunk);
                } catch (java.io.IOException closed) {
                    // the server has answered and closed: what it wanted to read, it read
                }
                return total;
            });
            s.setSoTimeout(30_000);
            byte[] answer = s.getInputStream().readNBytes(4096);
            assertTrue(sent.get(30, TimeUnit.SECONDS) < 64L << 20, "the server read the whole body before answering");
            return new String(answer, StandardCharsets.US_ASCII);
        }
    }

    private static FactoryItem item(String serial) {
        return FactoryItem.withDer(serial, Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("CN=long")), null, null, null);
    }

    /** @param largestAllocation the largest single allocation in this JVM while the batch ran */
    private record Batch(List<FactoryResult> results, long largestAllocation) {
    }

    /**
     * POSTs prefix, {@code length} copies of {@code fill}, then suffix, to the factory endpoint through curl's
     * standard input (sent chunked as it comes), and reads the results curl prints.
     */
    private static Batch stream(WireFormat wire, byte[] prefix, int fill, long length, byte[] suffix) throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "--fail-with-body", "--cacert", f.root.toString(), "--cert", cert.toString(),
                "--key", key.toString(), "-H", "Content-Type: " + FactoryMediaTypes.of(wire), "-H", "Expect:", "-X", "POST", "-T", "-",
                f.server.httpsUri() + "/api/v1/factory/idevid-ca/idevid").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
            try {
                return curl.getInputStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Recording allocations = new Recording();
        allocations.enable("jdk.ObjectAllocationOutsideTLAB").withoutStackTrace();
        allocations.start();
        try (OutputStream in = curl.getOutputStream()) {
            in.write(prefix);
            byte[] block = new byte[64 * 1024];
            Arrays.fill(block, (byte) fill);
            for (long left = length; left > 0; left -= block.length) {
                in.write(block, 0, (int) Math.min(block.length, left));
            }
            in.write(suffix);
        }
        byte[] body = output.get(60, TimeUnit.SECONDS);
        allocations.stop();
        Path events = Files.createTempFile(dir, "allocations", ".jfr");
        allocations.dump(events);
        allocations.close();
        long largest = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(events)) {
            largest = Math.max(largest, e.getLong("allocationSize"));
        }

        assertTrue(curl.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, curl.exitValue(), () -> new String(body, StandardCharsets.UTF_8));
        List<FactoryResult> results = new ArrayList<>();
        ResultReader reader = wire.resultReader(new ByteArrayInputStream(body));
        for (FactoryResult r = reader.next(); r != null; r = reader.next()) results.add(r);
        return new Batch(results, largest);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
