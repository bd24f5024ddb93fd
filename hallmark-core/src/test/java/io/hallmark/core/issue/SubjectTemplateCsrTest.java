package io.hallmark.core.issue;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.ProfileFieldsTest;
import io.hallmark.core.profile.Profiles;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A CSR against a profile's subject template and subjectAltNames: what every path (issue, EST, factory) refuses, and why. */
class SubjectTemplateCsrTest {

    static final ASN1ObjectIdentifier VID = new ASN1ObjectIdentifier("1.3.6.1.4.1.37244.2.1");
    private final Profile dac = ProfileFieldsTest.matterLike();

    @BeforeAll
    static void providers() {
        CryptoProviders.install();
    }

    static byte[] csr(X500Name subject, GeneralName... sans) throws Exception {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        PKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
        if (sans.length > 0) {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
    }

    static X500Name subject(String vid, String organization) {
        X500NameBuilder b = new X500NameBuilder().addRDN(BCStyle.CN, "sensor");
        if (vid != null) b.addRDN(VID, new DERUTF8String(vid));
        if (organization != null) b.addRDN(BCStyle.O, organization);
        return b.build();
    }

    private static String refused(Runnable r) {
        HallmarkException e = assertThrows(HallmarkException.class, r::run);
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        return e.getMessage();
    }

    @Test
    void theDeclaredOidIsAcceptedWithItsBoundAndOnlyWhereDeclared() throws Exception {
        byte[] ok = csr(subject("FFF1", "Example"));
        assertEquals(subject("FFF1", "Example"), CheckedCsr.check(ok, dac).subject());
        // The same attribute is still unknown to a profile that does not declare it.
        assertTrue(refused(() -> CheckedCsr.check(ok, Profiles.IDEVID)).contains("1.3.6.1.4.1.37244.2.1 is not accepted"));
        String tooLong = refused(() -> checked(subject("FFF10", "Example")));
        assertTrue(tooLong.contains("5 characters") && tooLong.contains("profile dac requires exactly 4"), tooLong);
    }

    @Test
    void aCsrThatBreaksTheTemplateIsRefusedWithTheReason() {
        String missing = refused(() -> Issuer.subject(checked(subject(null, "Example")).subject(), null, dac));
        assertEquals("the subject lacks attribute 1.3.6.1.4.1.37244.2.1, which profile dac requires", missing);
        String fixed = refused(() -> Issuer.subject(checked(subject("FFF1", "Other")).subject(), null, dac));
        assertEquals("the subject's organizationName (2.5.4.10) differs from the value profile dac fixes ('Example')", fixed);
        String closed = refused(() -> checked(new X500NameBuilder().addRDN(BCStyle.L, "Berlin").addRDN(VID, new DERUTF8String("FFF1")).build()));
        assertEquals("subject attribute L 2.5.4.7 is not accepted in a device subject (accepted: 1.3.6.1.4.1.37244.2.1, commonName,"
                + " organizationName, serialNumber)", closed);
    }

    @Test
    void aFixedAttributeTheCsrLeavesOutIsSetByTheCa() throws Exception {
        X500Name completed = Issuer.subject(checked(subject("FFF1", null)).subject(), null, dac);
        RDN[] organization = completed.getRDNs(BCStyle.O);
        assertEquals(1, organization.length, completed::toString);
        assertEquals("Example", ((org.bouncycastle.asn1.ASN1String) organization[0].getFirst().getValue()).getString());
        // Appended after what the device asked for, in the order the template declares.
        assertEquals(BCStyle.O, completed.getRDNs()[completed.getRDNs().length - 1].getFirst().getType());
        assertEquals(subject("FFF1", "Example"), Issuer.subject(checked(subject("FFF1", "Example")).subject(), null, dac),
                "a subject that carries the fixed value stays as asked");
    }

    @Test
    void subjectAltNamesOfAllowedTypesComeFromTheCsrAndTheRequiredOneMustBeThere() throws Exception {
        GeneralName dns = new GeneralName(GeneralName.dNSName, "sensor-1.example.com");
        CheckedCsr withDns = CheckedCsr.check(csr(subject("FFF1", "Example"), dns), dac);
        assertEquals(List.of(dns), SubjectAltNames.of(dac, withDns, List.of(), null));
        CheckedCsr without = CheckedCsr.check(csr(subject("FFF1", "Example")), dac);
        assertEquals("profile dac requires a dns subjectAltName; ask for it in the CSR's extensionRequest",
                refused(() -> SubjectAltNames.of(dac, without, List.of(), null)));
        CheckedCsr uri = CheckedCsr.check(csr(subject("FFF1", "Example"), dns,
                new GeneralName(GeneralName.uniformResourceIdentifier, "https://example.com")), dac);
        assertEquals("profile dac does not take a uri subjectAltName (it takes: dns)", refused(() -> SubjectAltNames.of(dac, uri, List.of(), null)));
        CheckedCsr badDns = CheckedCsr.check(csr(subject("FFF1", "Example"), new GeneralName(GeneralName.dNSName, new DERIA5String("a b"))), dac);
        assertTrue(refused(() -> SubjectAltNames.of(dac, badDns, List.of(), null)).contains("not a DNS name"));
        // A built-in profile still takes nothing from the CSR.
        assertEquals(List.of(), SubjectAltNames.of(Profiles.LDEVID, CheckedCsr.check(csr(new X500Name("CN=x"), dns), Profiles.LDEVID), List.of(), null));
    }

    private CheckedCsr checked(X500Name subject) {
        try {
            return CheckedCsr.check(csr(subject), dac);
        } catch (HallmarkException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
