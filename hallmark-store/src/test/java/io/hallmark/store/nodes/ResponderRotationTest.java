package io.hallmark.store.nodes;

import io.hallmark.core.Hallmark;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.revoke.OcspResponder;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.OcspResponderRecord;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * OCSP responder certificates are made under a database lock per CA, and their keys kept where every node opens
 * them: two nodes rotating at once make one responder per CA, and a node signs with a responder another node made.
 */
class ResponderRotationTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.hallmark.store.nodes.TwoNodes#kinds")
    void twoNodesNeedingAResponderAtOnceMakeOnePerCa(String kind) throws Exception {
        try (TwoNodes nodes = TwoNodes.of(kind, dir)) {
            Hallmark b = nodes.sameKeys();
            List<String> cas = nodes.a.cas().list().stream().map(CertificateAuthority::name).toList();

            List<List<X509CertificateHolder>> seen = atOnce(nodes.a, b, node -> cas.stream().map(ca -> node.ocsp().responderCertificate(ca)).toList());

            for (String ca : cas) {
                assertEquals(1, responders(nodes.a, ca).size(), "responder certificates of " + ca);
            }
            assertEquals(seen.get(0), seen.get(1), "both nodes sign with the same responders");
        }
    }

    @ParameterizedTest
    @MethodSource("io.hallmark.store.nodes.TwoNodes#kinds")
    void twoNodesRotatingAtOnceMakeOneNewResponderPerCa(String kind) throws Exception {
        TwoNodes.MovableClock clock = new TwoNodes.MovableClock();
        try (TwoNodes nodes = TwoNodes.of(kind, dir, clock)) {
            Hallmark b = nodes.sameKeys();
            X509CertificateHolder first = nodes.a.ocsp().responderCertificate("ldevid-ca");
            assertEquals(first, b.ocsp().responderCertificate("ldevid-ca"), "B adopts the responder A made");
            OcspResponderRecord retired = current(nodes.a, "ldevid-ca");

            clock.advance(Duration.ofDays(6)); // a day left of the 7-day responder: due on both nodes
            atOnce(nodes.a, b, node -> {
                node.ocsp().rotateSigners();
                return null;
            });

            List<CertificateRecord> all = responders(nodes.a, "ldevid-ca");
            assertEquals(2, all.size(), "the first responder and one successor, not one per node: " + all);
            X509CertificateHolder onA = nodes.a.ocsp().responderCertificate("ldevid-ca");
            assertNotEquals(first, onA, "rotated");
            assertEquals(onA, b.ocsp().responderCertificate("ldevid-ca"), "both nodes sign with the successor");
            OcspResponderRecord successor = current(nodes.a, "ldevid-ca");
            assertEquals(Serials.hex(onA.getSerialNumber()), successor.serial());
            assertNotEquals(retired.keyRef(), successor.keyRef());
            assertNotEquals(retired.sealedKey(), successor.sealedKey(), "the retired key is gone from the store with its record");
        }
    }

    @ParameterizedTest
    @MethodSource("io.hallmark.store.nodes.TwoNodes#kinds")
    void aNodeWithItsOwnKeysDirectorySignsWithTheResponderAnotherNodeMade(String kind) throws Exception {
        try (TwoNodes nodes = TwoNodes.of(kind, dir)) {
            Hallmark b = nodes.ownKeys("b"); // the CA keys, copied before A made any responder
            CertificateRecord device = nodes.a.issuer().issue(new IssuanceRequest("ldevid-ca", "ldevid",
                    Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("CN=dev")), "DEV-1", null, TwoNodes.ACTOR))
                    .certificate();
            X509CertificateHolder responder = nodes.a.ocsp().responderCertificate("ldevid-ca");

            OCSPResp answer = new OCSPResp(b.ocsp().respond(TwoNodes.ocspRequest(nodes.a, device)));

            assertEquals(OCSPResp.SUCCESSFUL, answer.getStatus(), "node B answers (0 successful, 2 internalError)");
            BasicOCSPResp basic = (BasicOCSPResp) answer.getResponseObject();
            assertEquals(responder, basic.getCerts()[0], "signed by the responder node A made");
        }
    }

    private static OcspResponderRecord current(Hallmark node, String ca) {
        return node.store().read(tx -> tx.ocspResponders().find(ca)).orElseThrow();
    }

    private static List<CertificateRecord> responders(Hallmark node, String ca) {
        return node.store().read(tx -> tx.certificates().find(new CertificateQuery(null, ca, Profiles.OCSP_RESPONDER.name(), null, 100)));
    }

    /** Runs {@code work} on both nodes, released together, and returns what each returned (A's first). */
    private static <T> List<T> atOnce(Hallmark a, Hallmark b, NodeWork<T> work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Hallmark node : List.of(a, b)) {
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return work.on(node);
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get());
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface NodeWork<T> {
        T on(Hallmark node) throws Exception;
    }
}
