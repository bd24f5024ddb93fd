package io.hallmark.core.profile;

import io.hallmark.core.TestHierarchy;
import io.hallmark.core.TestKey;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.x509.CertificateAssembler;
import io.hallmark.core.x509.CertificateTemplate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The general encoder emits each declared field, and the validator holds a certificate to each of them. */
class DeclaredFieldsValidatorTest {

    private final TestHierarchy h = new TestHierarchy();
    private final X509CertificateHolder cert = CertificateAssembler.sign(new CertificateTemplate(
            new X500Name("CN=Sensor,O=Example,1.3.6.1.4.1.37244.2.1=FFF1"), TestKey.generate(KeyAlgorithm.EC_P256).spki(), h.now,
            Validity.NO_WELL_DEFINED_EXPIRATION, ProfileFieldsTest.matterLikeCovered(), null, List.of()), h.ca, h.caKey);

    private static Profile variant(String from, String to) {
        String yaml = ProfileFieldsTest.MATTER_LIKE.replace("subjectAltNames: {allowed: [dns], required: [dns]}", "");
        assertTrue(yaml.contains(from), from);
        return HierarchySpec.parse(new ByteArrayInputStream(yaml.replace(from, to).getBytes(StandardCharsets.UTF_8)), "t").profiles().getFirst();
    }

    private List<String> violations(Profile p) {
        return ProfileValidator.validate(cert, p, h.ca, null);
    }

    @Test
    void theEncoderEmitsEachDeclaredField() {
        Extension bc = cert.getExtension(Extension.basicConstraints);
        assertTrue(bc.isCritical());
        assertFalse(BasicConstraints.getInstance(bc.getParsedValue()).isCA());
        assertEquals("1.3.6.1.4.1.99999.7.1", CertificatePolicies.getInstance(cert.getExtension(Extension.certificatePolicies).getParsedValue())
                .getPolicyInformation()[0].getPolicyIdentifier().getId());
        assertFalse(cert.getExtension(Extension.certificatePolicies).isCritical());
        assertTrue(cert.getExtension(Extension.extendedKeyUsage).isCritical());
        assertEquals(List.of(), violations(ProfileFieldsTest.matterLikeCovered()));
    }

    @Test
    void eachDeclaredFieldIsChecked() {
        assertEquals(List.of("basicConstraints criticality differs from profile dac"),
                violations(variant("basicConstraints: {critical: true}", "basicConstraints: {critical: false}")));
        assertEquals(List.of("basicConstraints present, but profile dac declares none for end entities"),
                violations(variant("basicConstraints: {critical: true}", "basicConstraints: {present: false}")));
        assertEquals(List.of("certificatePolicies differ from profile dac's [1.3.6.1.4.1.99999.7.2]"),
                violations(variant("99999.7.1", "99999.7.2")));
        assertEquals(List.of("certificatePolicies differ from profile dac's [1.3.6.1.4.1.99999.7.1]"),
                violations(variant("https://pki.example.com/cps", "https://pki.example.com/other")));
        assertEquals(List.of("extendedKeyUsage is critical, contrary to profile dac"),
                violations(variant("critical: [extendedKeyUsage]", "critical: []")));
        assertEquals(List.of("the subject's organizationName (2.5.4.10) differs from the value profile dac fixes ('Other')"),
                violations(variant("value: Example", "value: Other")));
        assertEquals(List.of("signed with ecdsa-with-SHA256; the profile allows ecdsa-with-SHA384"),
                violations(variant("keyUsage: [digitalSignature]", "keyUsage: [digitalSignature]\n    keys: {signatureAlgorithms: [ecdsa-with-SHA384]}")));
        assertEquals(List.of(), violations(variant("keyUsage: [digitalSignature]",
                "keyUsage: [digitalSignature]\n    keys: {signatureAlgorithms: [ecdsa-with-SHA256, 2.16.840.1.101.3.4.3.17]}")));
        assertEquals(List.of("subject 1.3.6.1.4.1.37244.2.1 has 4 characters; profile dac requires exactly 3"),
                violations(variant("minLength: 4, maxLength: 4", "minLength: 3, maxLength: 3")));
    }
}
