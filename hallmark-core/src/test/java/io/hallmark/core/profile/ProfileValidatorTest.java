package io.hallmark.core.profile;

import io.hallmark.core.TestHierarchy;
import io.hallmark.core.TestKey;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.x509.CertificateAssembler;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Certificates built directly with BouncyCastle, each breaking one rule, must each yield exactly the
 * violation for that rule.
 */
class ProfileValidatorTest {

    private static final HardwareModuleName HW = HardwareModuleName.parse("1.3.6.1.4.1.99999.1", "0102");

    private final TestHierarchy h = new TestHierarchy();
    private final TestKey deviceKey = TestKey.generate(KeyAlgorithm.EC_P256);

    /** An IDevID-shaped end-entity certificate signed by the issuing CA; each test changes one thing. */
    private final class Raw {
        X500Name subject = new X500Name("CN=Sensor,SERIALNUMBER=SN-0001");
        SubjectPublicKeyInfo key = deviceKey.spki();
        BigInteger serial = BigInteger.valueOf(0x1234_5678L);
        Time notBefore = new Time(Date.from(h.now), Locale.ROOT);
        Instant notAfter = Validity.NO_WELL_DEFINED_EXPIRATION;
        boolean ski = true;
        boolean aki = true;
        boolean keyUsageCritical = true;
        int keyUsage = KeyUsage.digitalSignature;
        BasicConstraints basicConstraints;
        ExtendedKeyUsage eku;
        GeneralNames san;
        ASN1ObjectIdentifier criticalUnknown;

        X509CertificateHolder build() throws CertIOException {
            var b = new X509v3CertificateBuilder(h.ca.getSubject(), serial, notBefore,
                    new Time(Date.from(notAfter), Locale.ROOT), subject, key);
            if (ski) b.addExtension(Extension.subjectKeyIdentifier, false, CertificateAssembler.keyIdentifier(key));
            if (aki) b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(
                    SubjectKeyIdentifier.fromExtensions(h.ca.getExtensions()).getKeyIdentifier()));
            if (basicConstraints != null) b.addExtension(Extension.basicConstraints, true, basicConstraints);
            b.addExtension(Extension.keyUsage, keyUsageCritical, new KeyUsage(keyUsage));
            if (eku != null) b.addExtension(Extension.extendedKeyUsage, false, eku);
            if (san != null) b.addExtension(Extension.subjectAlternativeName, false, san);
            if (criticalUnknown != null) b.addExtension(criticalUnknown, true, DERNull.INSTANCE);
            return b.build(h.caKey.signer());
        }

        List<String> validate(Profile profile) throws CertIOException {
            return ProfileValidator.validate(build(), profile, h.ca, null);
        }
    }

    private static void assertOnly(List<String> violations, String expected) {
        assertEquals(1, violations.size(), "expected exactly one violation, got " + violations);
        assertTrue(violations.get(0).contains(expected), "expected '" + expected + "' in " + violations);
    }

    @Test
    void theBaselineIsValid() throws Exception {
        assertEquals(List.of(), new Raw().validate(Profiles.IDEVID));
    }

    @Test
    void missingAuthorityKeyIdentifier() throws Exception {
        Raw r = new Raw();
        r.aki = false;
        assertOnly(r.validate(Profiles.IDEVID), "authorityKeyIdentifier missing");
    }

    @Test
    void missingSubjectKeyIdentifier() throws Exception {
        Raw r = new Raw();
        r.ski = false;
        assertOnly(r.validate(Profiles.IDEVID), "subjectKeyIdentifier missing");
    }

    @Test
    void keyUsageNotCritical() throws Exception {
        Raw r = new Raw();
        r.keyUsageCritical = false;
        assertOnly(r.validate(Profiles.IDEVID), "keyUsage must be critical");
    }

    @Test
    void keyUsageWithExtraBits() throws Exception {
        Raw r = new Raw();
        r.keyUsage = KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
        assertOnly(r.validate(Profiles.IDEVID), "keyUsage differs");
    }

    @Test
    void extendedKeyUsageOnAnIdevid() throws Exception {
        Raw r = new Raw();
        r.eku = new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth);
        assertOnly(r.validate(Profiles.IDEVID), "extendedKeyUsage present");
    }

    @Test
    void missingExtendedKeyUsageOnAnLdevid() throws Exception {
        Raw r = new Raw();
        r.notAfter = h.now.plus(Duration.ofDays(30));
        assertOnly(r.validate(Profiles.LDEVID), "extendedKeyUsage differs");
    }

    @Test
    void caBitOnAnEndEntity() throws Exception {
        Raw r = new Raw();
        r.basicConstraints = new BasicConstraints(true);
        assertOnly(r.validate(Profiles.IDEVID), "end-entity certificate has basicConstraints cA TRUE");
    }

    @Test
    void idevidThatExpires() throws Exception {
        Raw r = new Raw();
        r.notAfter = h.now.plus(Duration.ofDays(3650));
        assertOnly(r.validate(Profiles.IDEVID), "notAfter must be 99991231235959Z");
    }

    @Test
    void ldevidLivingLongerThanItsProfile() throws Exception {
        Raw r = new Raw();
        r.notAfter = h.now.plus(Duration.ofDays(366));
        r.eku = new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth);
        assertOnly(r.validate(Profiles.LDEVID), "validity is longer than the profile's 1y");
    }

    @Test
    void subjectWithoutSerialNumber() throws Exception {
        Raw r = new Raw();
        r.subject = new X500Name("CN=Sensor");
        assertOnly(r.validate(Profiles.IDEVID), "subject lacks serialNumber");
    }

    @Test
    void hardwareModuleNameWhereTheProfileForbidsIt() throws Exception {
        Profile noHw = new Profile("idevid-nohw", ProfileKind.END_ENTITY, Validity.FOREVER, List.of("digitalSignature"),
                List.of(), true, true, Profile.Presence.forbidden, KeyPolicy.DEFAULT);
        Raw r = new Raw();
        assertEquals(List.of(), r.validate(noHw));
        r.san = new GeneralNames(HW.toGeneralName());
        assertOnly(r.validate(noHw), "hardwareModuleName not allowed by profile idevid-nohw");
        assertEquals(List.of(), r.validate(Profiles.IDEVID));
    }

    @Test
    void hardwareModuleNameRequiredButAbsent() throws Exception {
        Profile needsHw = new Profile("idevid-hw", ProfileKind.END_ENTITY, Validity.FOREVER, List.of("digitalSignature"),
                List.of(), true, true, Profile.Presence.required, KeyPolicy.DEFAULT);
        assertOnly(new Raw().validate(needsHw), "hardwareModuleName required");
    }

    @Test
    void twoHardwareModuleNames() throws Exception {
        Raw r = new Raw();
        r.san = new GeneralNames(new GeneralName[]{HW.toGeneralName(), HardwareModuleName.parse("1.2.3", "ff").toGeneralName()});
        assertOnly(r.validate(Profiles.IDEVID), "more than one hardwareModuleName");
    }

    @Test
    void unknownCriticalExtension() throws Exception {
        Raw r = new Raw();
        r.criticalUnknown = new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.42");
        assertOnly(r.validate(Profiles.IDEVID), "unexpected critical extension 1.3.6.1.4.1.99999.42");
    }

    @Test
    void negativeSerial() throws Exception {
        Raw r = new Raw();
        r.serial = BigInteger.valueOf(-5);
        assertOnly(r.validate(Profiles.IDEVID), "serial number is not positive");
    }

    @Test
    void serialLongerThanTwentyOctets() throws Exception {
        Raw r = new Raw();
        r.serial = BigInteger.ONE.shiftLeft(160);
        assertOnly(r.validate(Profiles.IDEVID), "longer than 20 octets");
    }

    @Test
    void generalizedTimeBefore2050() throws Exception {
        SimpleDateFormat f = new SimpleDateFormat("yyyyMMddHHmmss'Z'", Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        Raw r = new Raw();
        r.notBefore = new Time(new DERGeneralizedTime(f.format(Date.from(h.now))));
        assertOnly(r.validate(Profiles.IDEVID), "notBefore uses GeneralizedTime");
    }

    @Test
    void weakSubjectKey() throws Exception {
        var g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        Raw r = new Raw();
        r.key = SubjectPublicKeyInfo.getInstance(g.generateKeyPair().getPublic().getEncoded());
        assertOnly(r.validate(Profiles.IDEVID), "RSA key of 1024 bits is too weak");
    }

    @Test
    void signedByAnotherKey() throws Exception {
        X509CertificateHolder cert = new Raw().build();
        List<String> v = ProfileValidator.validate(cert, Profiles.IDEVID, h.root, null);
        assertTrue(v.contains("signature does not verify with the issuer's key"), v.toString());
        assertTrue(v.contains("issuer name differs from the CA's subject"), v.toString());
    }

    @Test
    void caWithTheWrongPathLen() {
        assertOnly(ProfileValidator.validate(h.ca, Profiles.ISSUING_CA, h.root, 1), "pathLenConstraint is 0, expected 1");
    }

    @Test
    void caCertificateCheckedAsAnEndEntity() {
        List<String> v = ProfileValidator.validate(h.ca, Profiles.LDEVID, h.root, null);
        assertTrue(v.contains("end-entity certificate has basicConstraints cA TRUE"), v.toString());
    }

    @Test
    void endEntityCheckedAsACa() throws Exception {
        List<String> v = ProfileValidator.validate(new Raw().build(), Profiles.ISSUING_CA, h.ca, 0);
        assertTrue(v.contains("basicConstraints cA TRUE missing"), v.toString());
    }
}
