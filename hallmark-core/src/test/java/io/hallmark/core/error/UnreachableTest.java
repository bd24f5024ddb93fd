package io.hallmark.core.error;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real failed connections, from a plain socket and from the JDK's HttpClient, as the two clients make them. */
class UnreachableTest {

    /** A loopback port nothing listens on: bound once to find it, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static final String NO_SUCH_HOST = "no-such-host.invalid"; // RFC 6761: never resolves

    @Test
    void aRefusedSocketNamesTheAddress() throws Exception {
        int port = closedPort();
        IOException e = assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            }
        });
        HallmarkException h = Unreachable.of(e, "127.0.0.1", port, "cannot reach https://127.0.0.1:" + port).orElseThrow();
        assertEquals(HallmarkException.Kind.UNAVAILABLE, h.kind());
        assertTrue(h.getMessage().contains("not reachable: connection refused at 127.0.0.1:" + port), h.getMessage());
    }

    @Test
    void aRefusedHttpClientConnectionNamesTheAddressThoughTheJdkGivesNoMessage() throws Exception {
        int port = closedPort();
        HallmarkException h = Unreachable.of(httpFailure("http://127.0.0.1:" + port + "/"), "127.0.0.1", port, "cacerts").orElseThrow();
        assertEquals(HallmarkException.Kind.UNAVAILABLE, h.kind());
        assertTrue(h.getMessage().startsWith("cacerts: the server is not reachable: connection refused at 127.0.0.1:" + port), h.getMessage());
    }

    @Test
    void aNameThatDoesNotResolveIsSaidSoNotConnectionRefused() throws Exception {
        IOException socket = assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(NO_SUCH_HOST, 8443), 5000);
            }
        });
        IOException http = httpFailure("http://" + NO_SUCH_HOST + ":8443/");
        for (IOException e : new IOException[]{socket, http}) {
            HallmarkException h = Unreachable.of(e, NO_SUCH_HOST, 8443, "cacerts").orElseThrow();
            assertEquals(HallmarkException.Kind.UNAVAILABLE, h.kind());
            assertTrue(h.getMessage().startsWith("cacerts: cannot resolve " + NO_SUCH_HOST), h.getMessage());
            assertTrue(!h.getMessage().contains("refused"), h.getMessage());
        }
    }

    @Test
    void otherFailuresAreNotClaimed() {
        assertTrue(Unreachable.of(new java.io.EOFException("connection closed mid-response"), "h", 1, "x").isEmpty());
        assertTrue(Unreachable.of(new javax.net.ssl.SSLHandshakeException("unknown ca"), "h", 1, "x").isEmpty());
    }

    private static IOException httpFailure(String url) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return assertThrows(IOException.class, () -> client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()));
        }
    }
}
