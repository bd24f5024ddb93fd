package io.hallmark.device;

import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CertsOnlyTest {

    @Test
    void chainIsOrderedLeafToRootWhateverTheWireOrder() throws Exception {
        TestCerts.Issued root = TestCerts.root("root");
        TestCerts.Issued ca = TestCerts.under(root, "issuing", true, Instant.now().minusSeconds(10), Instant.now().plusSeconds(3600));
        TestCerts.Issued leaf = TestCerts.under(ca, "leaf", false, Instant.now().minusSeconds(10), Instant.now().plusSeconds(3600));
        List<X509Certificate> expected = List.of(leaf.certificate(), ca.certificate(), root.certificate());
        for (List<X509Certificate> wire : List.of(
                List.of(root.certificate(), leaf.certificate(), ca.certificate()),
                List.of(ca.certificate(), root.certificate(), leaf.certificate()),
                expected)) {
            assertEquals(expected, CertsOnly.orderChain(wire));
        }
        assertEquals(List.of(ca.certificate(), root.certificate()), CertsOnly.orderChain(List.of(root.certificate(), ca.certificate())));
    }

    @Test
    void unrelatedCertificatesStayAfterTheChain() throws Exception {
        TestCerts.Issued root = TestCerts.root("root");
        TestCerts.Issued ca = TestCerts.under(root, "issuing", true, Instant.now().minusSeconds(10), Instant.now().plusSeconds(3600));
        TestCerts.Issued stranger = TestCerts.root("other root");
        List<X509Certificate> ordered = CertsOnly.orderChain(List.of(root.certificate(), stranger.certificate(), ca.certificate()));
        assertEquals(3, ordered.size());
        assertEquals(List.of(ca.certificate(), root.certificate()), ordered.subList(0, 2));
    }

    @Test
    void aResponseThatIsNotBase64PkcsSevenIsReportedAsTheServers() {
        var e = assertThrows(io.hallmark.core.error.HallmarkException.class, () -> CertsOnly.parse("%%%".getBytes(), "cacerts"));
        assertTrue(e.getMessage().contains("cacerts response is not base64"), e.getMessage());
        var e2 = assertThrows(io.hallmark.core.error.HallmarkException.class, () -> CertsOnly.parse("aGVsbG8=".getBytes(), "cacerts"));
        assertTrue(e2.getMessage().contains("not a certs-only PKCS#7"), e2.getMessage());
    }
}
