package io.hallmark.core.x509;

import io.hallmark.core.TestHierarchy;
import io.hallmark.core.TestKey;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.profile.ProfileValidator;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.profile.Validity;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.junit.jupiter.api.Test;

import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificateAssemblerTest {

    private static final HardwareModuleName HW = HardwareModuleName.parse("1.3.6.1.4.1.99999.1", "0a0b0c0d");

    private final TestHierarchy h = new TestHierarchy();
    private final TestKey deviceKey = TestKey.generate(KeyAlgorithm.EC_P256);

    private X509CertificateHolder idevid(X500Name subject) {
        return CertificateAssembler.sign(new CertificateTemplate(subject, deviceKey.spki(), h.now,
                Validity.NO_WELL_DEFINED_EXPIRATION, Profiles.IDEVID, null, List.of(HW.toGeneralName())), h.ca, h.caKey);
    }

    @Test
    void rootIssuingCaAndIdevidPassTheirProfiles() {
        X509CertificateHolder device = idevid(new X500Name("CN=Sensor,SERIALNUMBER=SN-0001"));
        assertEquals(List.of(), ProfileValidator.validate(h.root, Profiles.ROOT_CA, null, 1));
        assertEquals(List.of(), ProfileValidator.validate(h.ca, Profiles.ISSUING_CA, h.root, 0));
        assertEquals(List.of(), ProfileValidator.validate(device, Profiles.IDEVID, h.ca, null));
    }

    @Test
    void caCertificatesCarryCriticalBasicConstraintsWithPathLen() {
        BasicConstraints rootBc = BasicConstraints.fromExtensions(h.root.getExtensions());
        assertTrue(rootBc.isCA());
        assertEquals(1, rootBc.getPathLenConstraint().intValue());
        assertTrue(h.root.getExtension(Extension.basicConstraints).isCritical());
        assertEquals(0, BasicConstraints.fromExtensions(h.ca.getExtensions()).getPathLenConstraint().intValue());
        assertEquals(h.root.getSubject(), h.root.getIssuer());
        assertEquals(h.root.getSubject(), h.ca.getIssuer());
        assertEquals(new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign), KeyUsage.fromExtensions(h.ca.getExtensions()));
    }

    @Test
    void idevidHasTheShapeIeee8021arAsksFor() {
        X509CertificateHolder device = idevid(new X500Name("CN=Sensor,SERIALNUMBER=SN-0001"));

        var notAfter = device.toASN1Structure().getEndDate().toASN1Primitive();
        ASN1GeneralizedTime generalized = assertInstanceOf(ASN1GeneralizedTime.class, notAfter);
        assertEquals("99991231235959Z", generalized.getTimeString());
        assertInstanceOf(ASN1UTCTime.class, device.toASN1Structure().getStartDate().toASN1Primitive());

        assertEquals(1, device.getSerialNumber().signum());
        assertTrue(device.getSerialNumber().toByteArray().length <= 20);
        assertEquals(3, device.getVersionNumber());

        byte[] aki = AuthorityKeyIdentifier.fromExtensions(device.getExtensions()).getKeyIdentifierOctets();
        assertArrayEquals(SubjectKeyIdentifier.fromExtensions(h.ca.getExtensions()).getKeyIdentifier(), aki);
        assertArrayEquals(CertificateAssembler.keyIdentifier(deviceKey.spki()).getKeyIdentifier(),
                SubjectKeyIdentifier.fromExtensions(device.getExtensions()).getKeyIdentifier());

        assertNull(device.getExtension(Extension.basicConstraints));
        assertNull(device.getExtension(Extension.extendedKeyUsage));
        Extension ku = device.getExtension(Extension.keyUsage);
        assertTrue(ku.isCritical());
        assertEquals(new KeyUsage(KeyUsage.digitalSignature), KeyUsage.fromExtensions(device.getExtensions()));

        Extension san = device.getExtension(Extension.subjectAlternativeName);
        assertFalse(san.isCritical(), "subject is not empty, so the SAN is not critical");
        var names = GeneralNames.fromExtensions(device.getExtensions(), Extension.subjectAlternativeName).getNames();
        assertEquals(1, names.length);
        assertEquals(HW, HardwareModuleName.from(names[0]).orElseThrow());

        assertEquals(1, device.getSubject().getRDNs(BCStyle.SERIALNUMBER).length);
    }

    @Test
    void emptySubjectMakesTheSanCritical() {
        var profile = Profiles.LDEVID;
        X509CertificateHolder device = CertificateAssembler.sign(new CertificateTemplate(new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
                deviceKey.spki(), h.now, h.now.plus(Duration.ofDays(30)), profile, null, List.of(HW.toGeneralName())), h.ca, h.caKey);
        assertTrue(device.getExtension(Extension.subjectAlternativeName).isCritical());
        assertEquals(List.of(), ProfileValidator.validate(device, profile, h.ca, null));
    }

    @Test
    void theChainValidatesWithTheJdkPkixValidator() throws Exception {
        X509CertificateHolder device = idevid(new X500Name("CN=Sensor,SERIALNUMBER=SN-0001"));
        var converter = new JcaX509CertificateConverter();
        X509Certificate root = converter.getCertificate(h.root);
        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(converter.getCertificate(device), converter.getCertificate(h.ca)));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        assertNotNull(CertPathValidator.getInstance("PKIX").validate(path, params));
    }

    @Test
    void refusesAnIdevidWithoutSerialNumberBeforeReturningIt() {
        HallmarkException e = assertThrows(HallmarkException.class, () -> idevid(new X500Name("CN=Sensor")));
        assertEquals(HallmarkException.Kind.INTERNAL, e.kind());
        assertTrue(e.getMessage().contains("serialNumber") && e.getMessage().contains("idevid"), e.getMessage());
    }

    @Test
    void refusesAnIdevidThatWouldExpire() {
        HallmarkException e = assertThrows(HallmarkException.class, () -> CertificateAssembler.sign(new CertificateTemplate(
                new X500Name("SERIALNUMBER=SN-1"), deviceKey.spki(), h.now, h.now.plus(Duration.ofDays(365)),
                Profiles.IDEVID, null, List.of()), h.ca, h.caKey));
        assertEquals(HallmarkException.Kind.INTERNAL, e.kind());
        assertTrue(e.getMessage().contains("99991231235959Z"), e.getMessage());
    }

    @Test
    void refusesAWeakSubjectKeyForAnEndEntity() throws Exception {
        var g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        var weak = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(g.generateKeyPair().getPublic().getEncoded());
        HallmarkException e = assertThrows(HallmarkException.class, () -> CertificateAssembler.sign(new CertificateTemplate(
                new X500Name("SERIALNUMBER=SN-1"), weak, h.now, Validity.NO_WELL_DEFINED_EXPIRATION,
                Profiles.IDEVID, null, List.of()), h.ca, h.caKey));
        assertTrue(e.getMessage().contains("too weak"), e.getMessage());
    }

    @Test
    void keyIdentifierIsSha1OfThePublicKeyBits() throws Exception {
        byte[] expected = java.security.MessageDigest.getInstance("SHA-1").digest(deviceKey.spki().getPublicKeyData().getBytes());
        assertArrayEquals(expected, CertificateAssembler.keyIdentifier(deviceKey.spki()).getKeyIdentifier());
        assertEquals(20, expected.length);
    }

    @Test
    void templateDropsFractionsOfSeconds() {
        var t = new CertificateTemplate(new X500Name("CN=x"), deviceKey.spki(), h.now.plusMillis(999),
                h.now.plusSeconds(60).plusNanos(5), Profiles.LDEVID, null, List.of());
        assertEquals(h.now, t.notBefore());
        assertEquals(h.now.plusSeconds(60), t.notAfter());
    }

}
