package io.hallmark.store.nodes;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.node.NodeLease;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.revoke.CrlService.GeneratedCrl;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.CrlBase;
import io.hallmark.core.store.PublishedCrl;
import io.hallmark.core.store.RevocationReason;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.hallmark.store.nodes.Within.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CRLs with several nodes: one node holds the jobs lease and signs; every node serves the newest stored CRL, so a
 * relying party alternating between nodes never sees a CRL number go down; when the holder dies another node takes
 * the lease and the signing over within the lease's TTL plus one renewal.
 */
class CrlAcrossNodesTest {

    private static final String COMPLETE = "ldevid-ca.crl";
    private static final String DELTA = "ldevid-ca-delta.crl";
    /** A revocation reaches the CRLs both nodes serve within: the holder's poll and job (a second each), and slack for a busy machine. */
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(6);

    @TempDir
    Path dir;

    @Test
    void whenTheHolderStopsRenewingAnotherNodeTakesTheLeaseWithinTheTtlAndSigns() {
        try (TwoNodes nodes = TwoNodes.of("postgresql", dir)) {
            Hallmark a = nodes.a;
            Hallmark b = nodes.sameKeys();
            crlRefreshEverySecond(a);
            a.startRevocationScheduler("node-a");
            b.startRevocationScheduler("node-b");
            NodeLease leaseA = a.lease().orElseThrow();
            NodeLease leaseB = b.lease().orElseThrow();
            assertTrue(leaseA.held(), "the first node to start holds the lease");
            assertFalse(leaseB.held());
            within(Duration.ofSeconds(4), "node B seeing node A as the holder", () -> leaseB.holder().orElse(""), "node-a"::equals);
            long signedByA = within(VISIBLE_WITHIN, "node A's job storing the CA-wide CRL", () -> storedNumber(b, COMPLETE), n -> n > 0);
            assertEquals(signedByA, number(b.crlPublisher().crl(COMPLETE).der()), "node B serves what node A stored");

            long stopped = System.nanoTime();
            leaseA.halt(); // as if node A died: no more renewals, nothing released
            within(NodeLease.TTL.plus(NodeLease.RENEW).plusSeconds(2), "node B taking the lease", leaseB::held, held -> held);
            Duration takeover = Duration.ofNanos(System.nanoTime() - stopped);
            System.out.println("node B took over the jobs lease " + takeover.toMillis() + " ms after node A stopped renewing");
            assertTrue(takeover.compareTo(Duration.ofSeconds(10)) < 0, "took over in " + takeover.toMillis() + " ms");
            assertFalse(leaseA.held());

            CertificateRecord cert = ldevid(b);
            b.revoker().revoke(cert.serial(), RevocationReason.keyCompromise, null, TwoNodes.ACTOR);
            byte[] listed = within(VISIBLE_WITHIN, "node B signing a CA-wide CRL that lists the revocation",
                    () -> stored(a, COMPLETE), der -> der != null && lists(der, cert));
            assertTrue(number(listed) > signedByA);
            assertTrue(lists(a.crlPublisher().crl(COMPLETE).der(), cert), "node A, no longer signing, serves the one node B stored");
        }
    }

    @ParameterizedTest
    @MethodSource("io.hallmark.store.nodes.TwoNodes#kinds")
    void crlNumbersFetchedAlternatelyFromBothNodesNeverGoDownAndRevocationsReachBoth(String kind) {
        try (TwoNodes nodes = TwoNodes.of(kind, dir)) {
            Hallmark a = nodes.a;
            Hallmark b = nodes.sameKeys();
            crlRefreshEverySecond(a);
            a.startRevocationScheduler("node-a");
            b.startRevocationScheduler("node-b");
            List<Hallmark> both = List.of(a, b);
            List<String> seen = new ArrayList<>();
            long[] last = {0, 0};
            for (int round = 0; round < 4; round++) {
                Hallmark revoking = both.get(round % 2); // revoked on the holder, then on the other node
                CertificateRecord cert = ldevid(revoking);
                long[] before = last.clone();
                revoking.revoker().revoke(cert.serial(), RevocationReason.keyCompromise, null, TwoNodes.ACTOR);
                long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
                boolean listedByBoth = false;
                for (int i = 0; !listedByBoth; i++) {
                    assertTrue(System.nanoTime() < deadline, "round " + round + ": the CA-wide CRL does not list the revocation on both nodes: " + seen);
                    listedByBoth = true;
                    for (Hallmark node : both) { // alternately, as a relying party behind a load balancer
                        for (String file : List.of(DELTA, COMPLETE)) {
                            int f = file.equals(DELTA) ? 0 : 1;
                            byte[] der = node.crlPublisher().crl(file).der();
                            long n = number(der);
                            seen.add((node == a ? "A" : "B") + ":" + file + ":" + n);
                            assertTrue(n >= last[f], "the CRL number went down from " + last[f] + " to " + n + ": " + seen);
                            if (lists(der, cert)) {
                                assertTrue(n > before[f], "a CRL with the revocation numbered " + n + ", not above " + before[f] + ": " + seen);
                            }
                            last[f] = n;
                            // The complete CRL is what must list it (the delta does only while its base predates it).
                            if (f == 1) listedByBoth &= lists(der, cert);
                        }
                    }
                    if (!listedByBoth) sleep(50 + i);
                }
            }
            assertTrue(last[0] > 0 && last[1] > 0, seen::toString);
        }
    }

    @Test
    void aNodeThatDoesNotSignSignsAPartitionNobodyStoredYetOnceThenTheHolderKeepsItFresh() {
        try (TwoNodes nodes = TwoNodes.of("postgresql", dir)) {
            Hallmark a = nodes.a;
            Hallmark b = nodes.sameKeys();
            a.publication().set(new Publication("http://pki.example.test", java.util.Map.of("ldevid-ca", 4), null, null, "1s", null), TwoNodes.ACTOR);
            a.startRevocationScheduler("node-a");
            b.startRevocationScheduler("node-b");
            assertFalse(b.lease().orElseThrow().held());
            PublishedCrl.Scope partition = new PublishedCrl.Scope("ldevid-ca", 2, false);
            assertTrue(a.store().read(tx -> tx.crls().published(partition)).isEmpty(), "the holder signs partitions once asked for, not all of them");

            GeneratedCrl first = within(Duration.ofSeconds(3), "node B knowing the partitions", () -> b.crlPublisher().crl("ldevid-ca-2.crl"));
            assertEquals(first.number(), a.store().read(tx -> tx.crls().published(partition)).orElseThrow().number(), "what B signed is stored");
            assertEquals(first.number(), number(a.crlPublisher().crl("ldevid-ca-2.crl").der()), "and served by A as it is");

            CertificateRecord cert = ldevid(b);
            b.revoker().revoke(cert.serial(), RevocationReason.keyCompromise, null, TwoNodes.ACTOR);
            byte[] fresh = within(VISIBLE_WITHIN, "the holder re-signing the stored partition after a revocation",
                    () -> a.store().read(tx -> tx.crls().published(partition)).orElseThrow().der(), der -> number(der) > first.number());
            assertTrue(number(b.crlPublisher().crl("ldevid-ca-2.crl").der()) >= number(fresh));
        }
    }

    private static void crlRefreshEverySecond(Hallmark node) {
        node.publication().set(new Publication(null, null, null, null, "1s", null), TwoNodes.ACTOR);
    }

    private static long storedNumber(Hallmark node, String file) {
        byte[] der = stored(node, file);
        return der == null ? 0 : number(der);
    }

    /** The stored CRL of a CA-wide scope, read from the database as any node would. */
    private static byte[] stored(Hallmark node, String file) {
        boolean delta = file.endsWith("-delta.crl");
        String ca = file.substring(0, file.length() - (delta ? "-delta.crl".length() : ".crl".length()));
        return node.store().read(tx -> tx.crls().published(new PublishedCrl.Scope(ca, CrlBase.WHOLE_CA, delta))).map(PublishedCrl::der).orElse(null);
    }

    private static long number(byte[] der) {
        try {
            X509CRLHolder crl = new X509CRLHolder(der);
            return ASN1Integer.getInstance(crl.getExtension(Extension.cRLNumber).getParsedValue()).getValue().longValueExact();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean lists(byte[] der, CertificateRecord cert) {
        try {
            return new X509CRLHolder(der).getRevokedCertificate(new BigInteger(cert.serial(), 16)) != null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static CertificateRecord ldevid(Hallmark node) {
        byte[] csr = Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("CN=crl-nodes"));
        return node.issuer().issue(new IssuanceRequest("ldevid-ca", "ldevid", csr, "DEV-" + System.nanoTime(), null, TwoNodes.ACTOR)).certificate();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
