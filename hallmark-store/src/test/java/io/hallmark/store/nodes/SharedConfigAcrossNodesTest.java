package io.hallmark.store.nodes;

import io.hallmark.core.Hallmark;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.ca.CaSpec;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.ProfileKind;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.core.store.CertificateRecord;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.hallmark.store.nodes.Within.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Shared configuration changed on one node is in force on another within two seconds: the other node polls the
 * configuration sequence every second, as a serving node does (its scheduler is started, as 'hallmark serve' does).
 */
class SharedConfigAcrossNodesTest {

    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.hallmark.store.nodes.TwoNodes#kinds")
    void aProfileAddedOnOneNodeIsUsedByTheOtherWithinTwoSeconds(String kind) {
        try (TwoNodes nodes = TwoNodes.of(kind, dir)) {
            Hallmark b = nodes.sameKeys();
            b.startRevocationScheduler();
            assertThrows(HallmarkException.class, () -> b.profiles().get("sensor"), "node B starts without the profile");

            nodes.a.init(withSensorProfile(), TwoNodes.ACTOR);

            CertificateRecord cert = within(TWO_SECONDS, "profile 'sensor' on node B",
                    () -> b.issuer().issue(new IssuanceRequest("sensor-ca", "sensor", csr(), "SENSOR-1", null, TwoNodes.ACTOR)).certificate());
            assertEquals("sensor", cert.profile());
            assertEquals(Duration.ofDays(30), Duration.between(cert.notBefore(), cert.notAfter()), "issued under the new profile's validity");
        }
    }

    @ParameterizedTest
    @MethodSource("io.hallmark.store.nodes.TwoNodes#kinds")
    void aPublicationChangeOnOneNodeIsInForceOnTheOtherWithinTwoSeconds(String kind) {
        try (TwoNodes nodes = TwoNodes.of(kind, dir)) {
            Hallmark b = nodes.sameKeys();
            b.startRevocationScheduler();
            assertNull(crlDistributionPoint(ldevid(b)), "nothing published yet: no CRL distribution point");

            nodes.a.publication().set(new Publication("http://pki.example.test", null, null, null, null, null), TwoNodes.ACTOR);

            String cdp = within(TWO_SECONDS, "the publication base URL on node B", () -> crlDistributionPoint(ldevid(b)), v -> v != null);
            assertEquals(true, cdp.contains("http://pki.example.test/crl/ldevid-ca"), cdp);
        }
    }

    @ParameterizedTest
    @MethodSource("io.hallmark.store.nodes.TwoNodes#kinds")
    void aCaCreatedOnOneNodeIsAnsweredForByTheOthersOcspWithinTwoSeconds(String kind) throws Exception {
        try (TwoNodes nodes = TwoNodes.of(kind, dir)) {
            Hallmark b = nodes.sameKeys();
            b.startRevocationScheduler();
            CertificateRecord known = ldevid(nodes.a);
            assertEquals(OCSPResp.SUCCESSFUL, new OCSPResp(b.ocsp().respond(TwoNodes.ocspRequest(nodes.a, known))).getStatus(),
                    "node B answers for the CAs it knows");

            nodes.a.init(withSensorProfile(), TwoNodes.ACTOR);
            CertificateRecord sensor = nodes.a.issuer().issue(new IssuanceRequest("sensor-ca", "sensor", csr(), "SENSOR-1", null, TwoNodes.ACTOR))
                    .certificate();

            within(TWO_SECONDS, "OCSP for the new sensor-ca on node B (0 successful, 6 unauthorized)",
                    () -> ocspStatus(b.ocsp().respond(TwoNodes.ocspRequest(nodes.a, sensor))), status -> status == OCSPResp.SUCCESSFUL);
        }
    }

    private static int ocspStatus(byte[] response) {
        try {
            return new OCSPResp(response).getStatus();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("io.hallmark.store.nodes.TwoNodes#kinds")
    void revokingACaMovesTheConfigurationSequence(String kind) {
        try (TwoNodes nodes = TwoNodes.of(kind, dir)) {
            Hallmark a = nodes.a;
            long before = sequence(a);
            ldevid(a);
            assertEquals(before, sequence(a), "issuing changes no shared configuration");
            a.revoker().revokeCa("ldevid-ca", a.cas().get("ldevid-ca").serial(), RevocationReason.keyCompromise, null, TwoNodes.ACTOR);
            assertEquals(before + 1, sequence(a), "a CA's revocation is a change of CA state");
        }
    }

    private static long sequence(Hallmark node) {
        return node.store().read(tx -> tx.config().sequence());
    }

    /** The default hierarchy plus a profile of its own and a CA that issues it. */
    private static HierarchySpec withSensorProfile() {
        HierarchySpec defaults = HierarchySpec.defaults();
        List<CaSpec> cas = new ArrayList<>(defaults.cas());
        cas.add(new CaSpec("sensor-ca", "root", "CN=Sensor CA,O=Hallmark Test", KeyAlgorithm.EC_P256, Validity.parse("10y"), null,
                List.of("sensor"), null));
        Profile sensor = new Profile("sensor", ProfileKind.END_ENTITY, Validity.parse("30d"), List.of("digitalSignature"), List.of("clientAuth"),
                false, false, Profile.Presence.optional, KeyPolicy.DEFAULT);
        return new HierarchySpec(cas, List.of(sensor));
    }

    private static byte[] csr() {
        return Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("CN=sensor"));
    }

    private static CertificateRecord ldevid(Hallmark node) {
        return node.issuer().issue(new IssuanceRequest("ldevid-ca", "ldevid", csr(), "DEV-1", null, TwoNodes.ACTOR)).certificate();
    }

    private static String crlDistributionPoint(CertificateRecord cert) {
        try {
            Extension cdp = new X509CertificateHolder(cert.der()).getExtension(Extension.cRLDistributionPoints);
            return cdp == null ? null : new String(cdp.getExtnValue().getOctets(), StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
