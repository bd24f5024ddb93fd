package io.hallmark.server;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.wire.Ndjson;
import io.hallmark.core.station.StationSpec;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Slowloris on loopback: hundreds of connections that send a byte every 200 ms (request headers in the
 * clear, headers over TLS, a TLS ClientHello, an OCSP or EST body) are all cut once the read deadline has
 * passed, while an OCSP request sent in the middle of the flood is answered at once.
 */
class SlowClientsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** One byte per this: 5 bytes a second, far too slow for any request to be complete within the deadline. */
    private static final long TRICKLE_MILLIS = 200;
    /**
     * How late a cut may come, as the client sees it: the deadline is checked every half second here, and the
     * server's clock starts when it accepts the connection, which under a burst of 200 connects on two busy
     * cores can be a second or more after the client began to connect.
     */
    private static final long SLACK_MILLIS = 3_000;

    @TempDir
    static Path dir;
    static ServerFixture f;
    static SSLContext tls;

    @BeforeAll
    static void start() throws Exception {
        Peers.tool("openssl");
        f = ServerFixture.start(dir, DEADLINE);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", TestTls.certificate(f.root));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    /** A slow client: how it connects, what it sends at once, and what it then trickles. */
    private record Trickler(String kind, boolean overTls, byte[] atOnce, byte[] trickled) {
    }

    /** When and how the server ended a trickler: closed, reset, or answered (e.g. 408). */
    private record Cut(String kind, long afterMillis, String how) {
    }

    @Test
    void tricklersAreCutAtTheDeadlineAndOcspAnswersMeanwhile() throws Exception {
        byte[] headers = ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(200) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] ocspBody = ("POST /ocsp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/ocsp-request\r\nContent-Length: 4000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] estBody = ("POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/pkcs10\r\nContent-Length: 4000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<Trickler> tricklers = new ArrayList<>();
        for (int i = 0; i < 80; i++) tricklers.add(new Trickler("headers over HTTP", false, new byte[0], headers));
        for (int i = 0; i < 40; i++) tricklers.add(new Trickler("headers over TLS", true, new byte[0], headers));
        for (int i = 0; i < 40; i++) tricklers.add(new Trickler("TLS ClientHello", false, new byte[0], clientHello()));
        for (int i = 0; i < 20; i++) tricklers.add(new Trickler("OCSP body over HTTP", false, ocspBody, new byte[4000]));
        for (int i = 0; i < 20; i++) tricklers.add(new Trickler("EST body over TLS", true, estBody, new byte[4000]));
        byte[] ocspRequest = ocspRequest();

        List<Cut> cuts = new ArrayList<>();
        long ocspMillis;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Cut>> running = new ArrayList<>();
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                HttpRequest ocsp = HttpRequest.newBuilder(URI.create(f.server.httpUri() + "/ocsp"))
                        .header("Content-Type", "application/ocsp-request").POST(HttpRequest.BodyPublishers.ofByteArray(ocspRequest)).build();
                client.send(ocsp, HttpResponse.BodyHandlers.ofByteArray()); // warm: the answer cached, the client's classes loaded
                for (Trickler t : tricklers) running.add(threads.submit(() -> trickle(t)));
                Thread.sleep(DEADLINE.toMillis() / 2); // the flood is on
                long start = System.nanoTime();
                HttpResponse<byte[]> r = client.send(ocsp, HttpResponse.BodyHandlers.ofByteArray());
                ocspMillis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, r.statusCode());
                assertEquals(OCSPRespBuilder.SUCCESSFUL, new OCSPResp(r.body()).getStatus());
            }
            for (Future<Cut> c : running) cuts.add(c.get(30, TimeUnit.SECONDS));
        }
        System.out.printf("slow clients: %d cut, %d..%d ms after connecting (deadline %d ms); OCSP answered in %d ms during the flood; %s%n",
                cuts.size(), cuts.stream().mapToLong(Cut::afterMillis).min().orElse(-1), cuts.stream().mapToLong(Cut::afterMillis).max().orElse(-1),
                DEADLINE.toMillis(), ocspMillis, cuts.stream().collect(java.util.stream.Collectors.groupingBy(c -> c.kind() + ": " + c.how().split(":")[0],
                        java.util.TreeMap::new, java.util.stream.Collectors.counting())));
        for (Cut c : cuts) {
            assertTrue(c.afterMillis() >= DEADLINE.toMillis() - TRICKLE_MILLIS && c.afterMillis() <= DEADLINE.toMillis() + SLACK_MILLIS,
                    c.kind() + " cut after " + c.afterMillis() + " ms (" + c.how() + "), deadline " + DEADLINE.toMillis() + " ms");
        }
        assertTrue(ocspMillis < 1_000, "OCSP took " + ocspMillis + " ms during the flood");
    }

    /** Slow is not too slow: headers that take half the deadline to arrive are answered. */
    @Test
    void aRequestWithinTheDeadlineIsServedHoweverSlowly() throws Exception {
        byte[] request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        long pause = DEADLINE.toMillis() / 2 / request.length;
        try (Socket s = new Socket(f.server.httpUri().getHost(), f.server.httpUri().getPort())) {
            OutputStream out = s.getOutputStream();
            for (byte b : request) {
                out.write(b);
                out.flush();
                Thread.sleep(pause);
            }
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
    }

    /**
     * A factory batch streams for as long as the station sends: longer than the deadline, and not cut. curl is
     * the station (headers at once, then the body chunked as its standard input delivers items).
     */
    @Test
    void aStreamedFactoryBatchMayOutlastTheDeadline() throws Exception {
        Peers.tool("curl");
        var c = f.hallmark.stations().create(new StationSpec("slow-line", null, null, List.of("idevid-ca"), List.of("idevid"),
                null, null, null, null), null, "test");
        Path cert = Files.writeString(dir.resolve("station.pem"), Pem.certificate(c.certificate()));
        Path key = Files.writeString(dir.resolve("station.key"), c.privateKeyPem());
        Process curl = new ProcessBuilder("curl", "-sS", "--fail-with-body", "--cacert", f.root.toString(), "--cert", cert.toString(),
                "--key", key.toString(), "-H", "Content-Type: application/x-ndjson", "-H", "Expect:", "-X", "POST", "-T", "-",
                f.server.httpsUri() + "/api/v1/factory/idevid-ca/idevid").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int devices = 4;
        long start = System.nanoTime();
        try (OutputStream in = curl.getOutputStream()) {
            for (int i = 0; i < devices; i++) {
                Thread.sleep(DEADLINE.toMillis() * 3 / 4); // the whole batch takes three deadlines
                in.write(Ndjson.line(FactoryItem.withDer("SLOW-" + i, Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256,
                        new X500Name("CN=slow")), null, null, null)));
                in.flush();
            }
        }
        String results = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(curl.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, curl.exitValue(), results);
        assertEquals(devices, results.lines().filter(l -> l.contains("\"status\":\"issued\"")).count(), results);
        assertTrue(took > DEADLINE.toMillis() * 2, "the batch took " + took + " ms");
    }

    /**
     * Sends the trickler's bytes, one every TRICKLE_MILLIS, waiting for the server in between; returns when the
     * server closes, resets or answers. Gives up (a failure) after the deadline plus eight seconds.
     */
    private static Cut trickle(Trickler t) throws Exception {
        URI base = t.overTls || t.kind.startsWith("TLS") ? f.server.httpsUri() : f.server.httpUri();
        long start = System.nanoTime();
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        if (t.overTls) {
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(socket, base.getHost(), base.getPort(), true);
            s.startHandshake();
            socket = s;
        }
        try (Socket s = socket) {
            s.setSoTimeout((int) TRICKLE_MILLIS);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(t.atOnce);
            out.flush();
            long giveUp = start + DEADLINE.plusSeconds(8).toNanos();
            for (int i = 0; System.nanoTime() < giveUp; i++) {
                try {
                    if (i < t.trickled.length) {
                        out.write(t.trickled[i]);
                        out.flush();
                    }
                    int b = in.read();
                    String how = b < 0 ? "closed" : "answered: " + firstLine(b, in);
                    return new Cut(t.kind, (System.nanoTime() - start) / 1_000_000, how);
                } catch (SocketTimeoutException stillOpen) {
                    // the server is still waiting for the rest: next byte
                } catch (IOException e) {
                    return new Cut(t.kind, (System.nanoTime() - start) / 1_000_000, "reset: " + e.getMessage());
                }
            }
            return new Cut(t.kind, (System.nanoTime() - start) / 1_000_000, "still open");
        }
    }

    private static String firstLine(int first, InputStream in) {
        StringBuilder line = new StringBuilder().append((char) first);
        try {
            for (int b = in.read(); b >= 0 && b != '\r' && b != '\n' && line.length() < 200; b = in.read()) line.append((char) b);
        } catch (IOException ignored) {
            // what came is enough
        }
        return line.toString();
    }

    /** The bytes of a TLS ClientHello for the server, as the JDK's TLS client makes it. */
    private static byte[] clientHello() throws Exception {
        SSLEngine engine = tls.createSSLEngine("127.0.0.1", f.server.httpsUri().getPort());
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** `openssl ocsp -reqout` for a fresh IDevID. */
    private static byte[] ocspRequest() throws Exception {
        Path cert = f.idevid("SN-SLOW-OCSP")[0];
        Files.writeString(dir.resolve("idevid-ca.pem"), Pem.certificate(f.hallmark.cas().get("idevid-ca").certificate()));
        Path req = dir.resolve("req.der");
        var r = Peers.run(dir, "openssl", "ocsp", "-issuer", "idevid-ca.pem", "-cert", cert.toString(), "-no_nonce", "-reqout", req.toString());
        assertEquals(0, r.exit(), r.all());
        return Files.readAllBytes(req);
    }
}
