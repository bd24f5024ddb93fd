package io.hallmark.core.x509;

import io.hallmark.core.profile.Profile;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/**
 * Everything that varies between certificates of one profile; the profile supplies the rest.
 *
 * @param pathLen         for CA certificates, the pathLenConstraint (null: absent)
 * @param subjectAltNames empty for none
 * @param serial          the serial number to use; null for a fresh random one. Given when something else
 *                        derives from it before signing (the CRL partition a CDP names)
 * @param extensions      further non-critical extensions (CRL distribution points, AIA, OCSP no-check), added
 *                        after the ones the profile fixes; empty for none
 */
public record CertificateTemplate(X500Name subject, SubjectPublicKeyInfo publicKey, Instant notBefore, Instant notAfter,
                                  Profile profile, Integer pathLen, List<GeneralName> subjectAltNames,
                                  BigInteger serial, List<Extension> extensions) {

    public CertificateTemplate(X500Name subject, SubjectPublicKeyInfo publicKey, Instant notBefore, Instant notAfter,
                               Profile profile, Integer pathLen, List<GeneralName> subjectAltNames) {
        this(subject, publicKey, notBefore, notAfter, profile, pathLen, subjectAltNames, null, List.of());
    }

    public CertificateTemplate {
        subjectAltNames = List.copyOf(subjectAltNames);
        extensions = List.copyOf(extensions == null ? List.of() : extensions);
        // Whole seconds: DER times carry no fractions in certificates (RFC 5280 §4.1.2.5.2).
        notBefore = Instant.ofEpochSecond(notBefore.getEpochSecond());
        notAfter = Instant.ofEpochSecond(notAfter.getEpochSecond());
    }
}
