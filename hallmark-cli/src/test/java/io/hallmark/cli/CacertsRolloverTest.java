package io.hallmark.cli;

import io.hallmark.core.ca.CaRollover;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.server.HallmarkServer;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * EST {@code /cacerts} during a root rollover (RFC 7030 §4.1.3): a device that trusts only the old root fetches it
 * with curl, and the PKCS#7 (parsed by openssl) holds the issuing CA, the new self-signed root, NewWithOld,
 * OldWithNew and the old root; of those, the old root authenticates exactly NewWithOld and itself, which is how
 * the device learns the new root's key.
 */
class CacertsRolloverTest {

    @TempDir
    Path dir;

    private List<String> cacerts(EstTestServer est, Path trusted, String name) throws Exception {
        Peers.Result r = Peers.run(dir, "curl", "-sS", "-o", name + ".b64", "-w", "%{http_code}", "--cacert", trusted.toString(),
                est.url() + "/.well-known/est/cacerts");
        assertEquals("200", r.out(), r::all);
        byte[] der = Base64.getMimeDecoder().decode(Files.readString(dir.resolve(name + ".b64")));
        Files.write(dir.resolve(name + ".p7"), der);
        Peers.Result print = Peers.run(dir, "openssl", "pkcs7", "-inform", "DER", "-in", name + ".p7", "-print_certs", "-out", name + ".pem");
        assertEquals(0, print.exit(), print::all);
        List<String> pems = new ArrayList<>();
        for (byte[] cert : Pem.blocks(Files.readAllBytes(dir.resolve(name + ".pem")), "CERTIFICATE")) pems.add(Pem.certificate(cert));
        return pems;
    }

    @Test
    void duringARolloverCacertsServesTheLinkCertificates() throws Exception {
        Peers.tool("curl");
        Peers.tool("openssl");
        try (EstTestServer est = new EstTestServer(dir.resolve("server"))) {
            Path oldRoot = est.ca("root");
            assertEquals(2, cacerts(est, oldRoot, "before").size(), "no rollover yet: the chain only");

            CaRollover.Outcome o = est.hallmark.cas().rollover("root", null, null, "test");
            List<String> after = cacerts(est, oldRoot, "after"); // TLS still verifies under the old root
            String newWithNew = Pem.certificate(o.newWithNew());
            String newWithOld = Pem.certificate(o.newWithOld());
            String oldWithNew = Pem.certificate(o.oldWithNew());
            String oldWithOld = Files.readString(oldRoot);
            String issuing = Pem.certificate(est.hallmark.cas().get("ldevid-ca").certificate());
            for (String expected : List.of(issuing, newWithNew, newWithOld, oldWithNew, oldWithOld)) {
                assertTrue(after.contains(expected), () -> "missing from /cacerts: " + expected + "\nserved: " + after);
            }
            assertEquals(5, after.size(), after::toString);

            // The device checks each certificate against the root it trusts; only NewWithOld (and the old root itself) pass.
            List<String> authenticated = new ArrayList<>();
            for (int i = 0; i < after.size(); i++) {
                Path c = Files.writeString(dir.resolve("c" + i + ".pem"), after.get(i));
                if (Peers.run(dir, "openssl", "verify", "-x509_strict", "-CAfile", oldRoot.toString(), c.toString()).exit() == 0) {
                    authenticated.add(after.get(i));
                }
            }
            assertEquals(List.of(newWithOld, oldWithOld).stream().sorted().toList(), authenticated.stream().sorted().toList());

            // A server started after the rollover presents [server, clients-ca, NewWithOld]: devices that trust either root connect.
            Path newRoot = Files.writeString(dir.resolve("new-root.pem"), newWithNew);
            try (HallmarkServer restarted = HallmarkServer.start(est.hallmark,
                    new HallmarkServer.Options("127.0.0.1", 0, "127.0.0.1", 0, List.of("127.0.0.1", "localhost"), null))) {
                for (Path trusted : List.of(oldRoot, newRoot)) {
                    Peers.Result r = Peers.run(dir, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", trusted.toString(),
                            restarted.httpsUri() + "/.well-known/est/cacerts");
                    assertEquals("200", r.out(), () -> "trusting " + trusted.getFileName() + ": " + r.all());
                }
            }

            // Once the link certificates are revoked (the overlap ended early), /cacerts serves the chain alone.
            for (String serial : List.of(o.newWithOldSerial(), o.oldWithNewSerial())) {
                est.hallmark.revoker().revoke(serial, RevocationReason.superseded, null, "test");
            }
            List<String> ended = cacerts(est, oldRoot, "ended");
            assertEquals(List.of(issuing, newWithNew).stream().sorted().toList(), ended.stream().sorted().toList());
        }
    }
}
