package io.hallmark.bench;

import io.hallmark.cli.EstTestServer;
import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.device.DeviceCredential;
import io.hallmark.device.DeviceCredentials;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.*;

class SocketEnrollerTest {

    @TempDir
    Path dir;

    @Test
    void everyEnrollmentIsAFullHandshakeAndACertificateForTheKeySent() throws Exception {
        CryptoProviders.install();
        try (EstTestServer server = new EstTestServer(dir.resolve("server"))) {
            Path[] files = server.idevid(dir.resolve("devices"), "SOCKET-1");
            DeviceCredential idevid = DeviceCredentials.fromPem(files[0], files[1]);
            SocketEnroller enroller = new SocketEnroller(URI.create(server.url()), null, DeviceCredentials.certificates(server.ca("root")));
            for (int i = 1; i <= 3; i++) {
                KeyPair keys = KeyAlgorithm.EC_P256.generate();
                byte[] csr = Csrs.create(keys, KeyAlgorithm.EC_P256, X500Name.getInstance(idevid.certificate().getSubjectX500Principal().getEncoded()));
                X509Certificate issued = enroller.enroll(idevid, csr, keys.getPublic());
                assertEquals(keys.getPublic(), issued.getPublicKey());
                assertEquals(i, enroller.fullHandshakes(), "one client signature per enrollment: no session was resumed");
            }
            // A CSR for another key than the one expected: the response is checked, not just its status.
            KeyPair sent = KeyAlgorithm.EC_P256.generate();
            byte[] csr = Csrs.create(sent, KeyAlgorithm.EC_P256, X500Name.getInstance(idevid.certificate().getSubjectX500Principal().getEncoded()));
            HallmarkException e = assertThrows(HallmarkException.class, () -> enroller.enroll(idevid, csr, KeyAlgorithm.EC_P256.generate().getPublic()));
            assertTrue(e.getMessage().contains("no certificate for the key we sent"), e.getMessage());
        }
    }

    /** The counter is not vacuous: with this server, a connection that keeps its session resumes it and signs nothing. */
    @Test
    void aResumedSessionIsNotCountedAsAFullHandshake() throws Exception {
        CryptoProviders.install();
        try (EstTestServer server = new EstTestServer(dir.resolve("server"))) {
            Path[] files = server.idevid(dir.resolve("devices"), "SOCKET-2");
            URI url = URI.create(server.url());
            SocketEnroller enroller = new SocketEnroller(url, null, DeviceCredentials.certificates(server.ca("root")));
            enroller.use(DeviceCredentials.fromPem(files[0], files[1]));
            for (int i = 0; i < 2; i++) {
                try (SSLSocket socket = (SSLSocket) enroller.context().getSocketFactory().createSocket(url.getHost(), url.getPort())) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("GET /.well-known/est/cacerts HTTP/1.1\r\nHost: " + url.getHost() + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    // Reading to the end also takes in the server's TLS 1.3 session tickets; the session is kept.
                    assertEquals(200, SocketEnroller.HttpReply.parse(SocketEnroller.readBounded(socket.getInputStream())).status());
                }
            }
            assertEquals(1, enroller.fullHandshakes(), "the second connection resumed the first one's session");
        }
    }

    @Test
    void responsesAreReadByLengthChunksOrClose() {
        byte[] body = "MIIB\nAAAA\n".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(body, SocketEnroller.HttpReply.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nMIIB\nAAAA\nextra")).body());
        assertArrayEquals(body, SocketEnroller.HttpReply.parse(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nMIIB\n\r\n5\r\nAAAA\n\r\n0\r\n\r\n")).body());
        assertArrayEquals(body, SocketEnroller.HttpReply.parse(bytes("HTTP/1.1 200 OK\r\nContent-Type: application/pkcs7-mime\r\n\r\nMIIB\nAAAA\n")).body());
        assertEquals(403, SocketEnroller.HttpReply.parse(bytes("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")).status());
        assertThrows(HallmarkException.class, () -> SocketEnroller.HttpReply.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nshort")));
        assertThrows(HallmarkException.class, () -> SocketEnroller.HttpReply.parse(bytes("SSH-2.0-OpenSSH\r\n\r\n")));
        assertThrows(HallmarkException.class, () -> SocketEnroller.HttpReply.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 1")));
    }

    @Test
    void aResponseIsReadWithABound() {
        byte[] huge = new byte[SocketEnroller.MAX_RESPONSE + 10_000];
        assertThrows(java.io.IOException.class, () -> SocketEnroller.readBounded(new java.io.ByteArrayInputStream(huge)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
