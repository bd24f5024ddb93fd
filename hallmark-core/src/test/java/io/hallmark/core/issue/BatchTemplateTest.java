package io.hallmark.core.issue;

import io.hallmark.core.TestHierarchy;
import io.hallmark.core.TestKey;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.ProfileValidator;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.publication.Publishing;
import io.hallmark.core.x509.CertificateAssembler;
import io.hallmark.core.x509.CertificateTemplate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch template must produce exactly the TBSCertificate that BouncyCastle's builder does from the same inputs. */
class BatchTemplateTest {

    private static final HardwareModuleName HW = HardwareModuleName.parse("1.3.6.1.4.1.99999.1", "0a0b0c0d");
    private static final Publication PARTITIONED = new Publication("http://pki.example.com/", Map.of("ca", 16), null, null, null, null);
    private static final Publication SINGLE = new Publication("http://pki.example.com", null, null, null, null, null);

    private final TestHierarchy h = new TestHierarchy();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Profiles.IDEVID, "CN=Sensor,SERIALNUMBER=SN-0001", true, PARTITIONED),
                Arguments.of(Profiles.IDEVID, "SERIALNUMBER=SN-0002", false, SINGLE),
                Arguments.of(Profiles.LDEVID, "", true, Publication.NONE), // empty subject: SAN critical
                Arguments.of(Profiles.LDEVID, "CN=Sensor,SERIALNUMBER=SN-0003", false, PARTITIONED),
                Arguments.of(Profiles.CLIENT, "CN=client-7", false, Publication.NONE));
    }

    /** Every built-in end-entity profile, and one using every feature the template covers (cA=FALSE, a policy, chosen criticality). */
    static Stream<Profile> coveredProfiles() {
        return Stream.concat(Profiles.builtIn().all().stream().filter(p -> !p.kind().isCa()),
                Stream.of(io.hallmark.core.profile.ProfileFieldsTest.matterLikeCovered()));
    }

    @ParameterizedTest
    @MethodSource("coveredProfiles")
    void theTemplateCoversAndMatchesTheGeneralEncoderForEveryBuiltInProfile(Profile profile) throws Exception {
        assertTrue(BatchTemplate.covers(profile), profile.name());
        boolean withHw = profile.hardwareModuleName() != Profile.Presence.forbidden;
        String subject = profile.subject() == null ? "CN=Sensor,SERIALNUMBER=SN-0009" : "CN=Sensor,O=Example,1.3.6.1.4.1.37244.2.1=FFF1";
        assemblesTheSameTbsAsTheBuilder(profile, subject, withHw, PARTITIONED);
    }

    @org.junit.jupiter.api.Test
    void aProfileTakingNamesFromTheRequestGoesToTheGeneralEncoder() {
        Profile dac = io.hallmark.core.profile.ProfileFieldsTest.matterLike();
        org.junit.jupiter.api.Assertions.assertFalse(BatchTemplate.covers(dac));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new BatchTemplate(h.ca.getSubject(),
                h.ca.getSubjectPublicKeyInfo(), h.caKey.signer().getAlgorithmIdentifier(), dac, Publication.NONE, "ca"));
    }

    /** Matter's DAC and NOC profiles (no revocation pointers, 63-bit serials) take the template too, byte for byte. */
    @org.junit.jupiter.api.Test
    void matterProfilesTakeTheTemplateWithoutPointers() throws Exception {
        Profile dac = io.hallmark.core.matter.AttestationPki.dacProfile("dac-x", 0xFFF1, 0x8000, io.hallmark.core.profile.Validity.FOREVER);
        Profile noc = io.hallmark.core.matter.OperationalPki.nocProfile("noc-x", 0xFAB0000000000001L, io.hallmark.core.profile.Validity.parse("1y"), false);
        for (Profile p : List.of(dac, noc)) assertTrue(BatchTemplate.covers(p), p.name());
        assemblesTheSameTbsAsTheBuilder(dac, "CN=Light,SERIALNUMBER=SN-1,1.3.6.1.4.1.37244.2.1=FFF1,1.3.6.1.4.1.37244.2.2=8000", false, Publication.NONE);
        assemblesTheSameTbsAsTheBuilder(noc, "1.3.6.1.4.1.37244.1.1=0000000000000001,1.3.6.1.4.1.37244.1.5=FAB0000000000001,"
                + "1.3.6.1.4.1.37244.1.6=00010001", false, Publication.NONE);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void assemblesTheSameTbsAsTheBuilder(Profile profile, String subjectText, boolean withHw, Publication publication) throws Exception {
        TestKey device = TestKey.generate(KeyAlgorithm.EC_P256);
        X500Name subject = new X500Name(subjectText);
        BigInteger serial = Serials.random(profile.serialBitsOrDefault());
        Integer partition = Publishing.partitionOf(serial, publication.partitionsOf("ca"));
        Instant notBefore = h.now;
        Instant notAfter = profile.validity().notAfter(notBefore);
        List<GeneralName> sans = withHw ? List.of(HW.toGeneralName()) : List.of();

        X509CertificateHolder viaBuilder = CertificateAssembler.sign(new CertificateTemplate(subject, device.spki(), notBefore, notAfter,
                profile, null, sans, serial, Publishing.pointers(publication, "ca", partition)), h.ca, h.caKey);

        BatchTemplate template = new BatchTemplate(h.ca.getSubject(), h.ca.getSubjectPublicKeyInfo(), h.caKey.signer().getAlgorithmIdentifier(),
                profile, publication, "ca");
        byte[] tbs = template.tbs(serial, notBefore, notAfter, subject, device.spki(),
                Fingerprints.sha1(device.spki().getPublicKeyData().getBytes()), withHw ? HW.toGeneralName() : null, partition);
        assertArrayEquals(viaBuilder.toASN1Structure().getTBSCertificate().getEncoded(), tbs);

        X509CertificateHolder assembled = new X509CertificateHolder(template.certificate(tbs, h.caKey.sign(tbs)));
        assertTrue(assembled.isSignatureValid(new JcaContentVerifierProviderBuilder().build(h.caKey.publicKey())));
        assertEquals(List.of(), ProfileValidator.validate(assembled, profile, h.ca, null));
    }
}
