package io.hallmark.core.profile;

import io.hallmark.core.crypto.Asn1Times;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.Signatures;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an issued certificate against its profile, RFC 5280 and, for DevIDs, IEEE 802.1AR. Run on every
 * certificate after signing and before it is stored or returned: a bug in the builder then shows up as
 * an error rather than as a bad certificate in a device's flash.
 */
public final class ProfileValidator {

    private static final Set<ASN1ObjectIdentifier> UNDERSTOOD_CRITICAL = Set.of(
            Extension.basicConstraints, Extension.keyUsage, Extension.subjectAlternativeName,
            Extension.extendedKeyUsage, Extension.nameConstraints, Extension.policyConstraints,
            Extension.certificatePolicies);
    private static final Duration CLOCK_SLACK = Duration.ofMinutes(5);
    private static final Instant Y2050 = Instant.parse("2050-01-01T00:00:00Z");

    private ProfileValidator() {
    }

    /**
     * @param issuer          the issuing CA's certificate, or null for a self-signed root
     * @param expectedPathLen for CA profiles, the pathLenConstraint the hierarchy asks for (null: absent)
     */
    public static List<String> validate(X509CertificateHolder cert, Profile profile, X509CertificateHolder issuer, Integer expectedPathLen) {
        return validate(cert, profile, issuer, expectedPathLen, true);
    }

    /**
     * @param checkSignature whether to re-verify the signature with the issuer's key. Everything else is
     *                       cheap structure checking; the verify costs about three ECDSA P-256 signatures,
     *                       which is why factory batches may sample it (see {@code IssuanceSigner}).
     */
    public static List<String> validate(X509CertificateHolder cert, Profile profile, X509CertificateHolder issuer, Integer expectedPathLen,
                                        boolean checkSignature) {
        List<String> v = new ArrayList<>();
        X509CertificateHolder signer = issuer == null ? cert : issuer;
        Certificate asn1 = cert.toASN1Structure();

        if (cert.getVersionNumber() != 3) v.add("version is " + cert.getVersionNumber() + ", not 3");
        BigInteger serial = cert.getSerialNumber();
        if (serial.signum() <= 0) v.add("serial number is not positive");
        if (serial.toByteArray().length > 20) v.add("serial number is longer than 20 octets");
        if (!asn1.getSignatureAlgorithm().equals(asn1.getTBSCertificate().getSignature())) {
            v.add("signature algorithm in TBSCertificate differs from the outer one");
        }
        if (!cert.getIssuer().equals(signer.getSubject())) v.add("issuer name differs from the CA's subject");
        String algorithm = profile.keys().signatureRefusal(asn1.getSignatureAlgorithm());
        if (algorithm != null) v.add(algorithm);
        if (checkSignature && !signatureVerifies(cert, signer)) v.add("signature does not verify with the issuer's key");

        checkValidity(v, asn1, profile, signer, issuer == null);
        checkExtensions(v, cert, profile, signer, issuer == null, expectedPathLen);
        checkSubject(v, cert, profile);
        if (!profile.kind().isCa()) {
            try {
                profile.keys().check(cert.getSubjectPublicKeyInfo());
            } catch (HallmarkException e) {
                v.add(e.getMessage());
            }
        }
        return v;
    }

    public static void require(X509CertificateHolder cert, Profile profile, X509CertificateHolder issuer, Integer expectedPathLen) {
        require(cert, profile, issuer, expectedPathLen, true);
    }

    public static void require(X509CertificateHolder cert, Profile profile, X509CertificateHolder issuer, Integer expectedPathLen,
                               boolean checkSignature) {
        requireSize(cert, profile);
        List<String> violations = validate(cert, profile, issuer, expectedPathLen, checkSignature);
        if (!violations.isEmpty()) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL,
                    "certificate " + cert.getSerialNumber().toString(16) + " violates profile " + profile.name()
                            + " and was not issued: " + String.join("; ", violations));
        }
    }

    /** The request made it too large (a long subject): the requester's to fix, so BAD_INPUT rather than a profile violation. */
    private static void requireSize(X509CertificateHolder cert, Profile profile) {
        if (profile.maxBytes() == null) return;
        int size;
        try {
            size = cert.getEncoded().length;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (size > profile.maxBytes()) {
            throw HallmarkException.badInput("the certificate would be " + size + " bytes of DER; profile " + profile.name() + " allows at most "
                    + profile.maxBytes() + " (shorten the subject); nothing was issued");
        }
    }

    private static boolean signatureVerifies(X509CertificateHolder cert, X509CertificateHolder signer) {
        try {
            Certificate c = cert.toASN1Structure();
            return Signatures.verify(c.getSignatureAlgorithm(), signer.getSubjectPublicKeyInfo(),
                    c.getTBSCertificate().getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER), c.getSignature().getOctets());
        } catch (java.io.IOException | RuntimeException e) { // unused bits in the signature BIT STRING, say
            return false;
        }
    }

    private static void checkValidity(List<String> v, Certificate c, Profile profile, X509CertificateHolder signer, boolean selfSigned) {
        Instant notBefore = Asn1Times.instant(c.getStartDate());
        Instant notAfter = Asn1Times.instant(c.getEndDate());
        checkTimeEncoding(v, "notBefore", c.getStartDate(), notBefore);
        checkTimeEncoding(v, "notAfter", c.getEndDate(), notAfter);
        if (!notBefore.isBefore(notAfter)) v.add("notBefore is not before notAfter");
        if (!profile.kind().isCa()) {
            if (profile.validity().forever()) {
                if (!notAfter.equals(Validity.NO_WELL_DEFINED_EXPIRATION)) v.add("notAfter must be 99991231235959Z for profile " + profile.name());
            } else if (Duration.between(notBefore, notAfter).compareTo(profile.validity().duration().plus(CLOCK_SLACK)) > 0) {
                v.add("validity is longer than the profile's " + profile.validity());
            }
        }
        if (!selfSigned) {
            Instant caNotBefore = Asn1Times.instant(signer.toASN1Structure().getStartDate());
            Instant caNotAfter = Asn1Times.instant(signer.toASN1Structure().getEndDate());
            if (notAfter.isAfter(caNotAfter)) v.add("notAfter is later than the issuing CA's notAfter");
            if (notBefore.isBefore(caNotBefore)) v.add("notBefore is earlier than the issuing CA's notBefore");
        }
    }

    /** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, always Zulu with seconds. */
    private static void checkTimeEncoding(List<String> v, String field, Time time, Instant instant) {
        boolean utc = time.toASN1Primitive() instanceof ASN1UTCTime;
        boolean before2050 = instant.isBefore(Y2050);
        if (utc != before2050) v.add(field + " uses " + (utc ? "UTCTime" : "GeneralizedTime") + " contrary to RFC 5280 §4.1.2.5");
        if (time.toASN1Primitive() instanceof ASN1GeneralizedTime g && g.getTimeString().contains(".")) {
            v.add(field + " GeneralizedTime carries fractional seconds");
        }
    }

    private static void checkExtensions(List<String> v, X509CertificateHolder cert, Profile profile, X509CertificateHolder signer,
                                        boolean selfSigned, Integer expectedPathLen) {
        Extensions ext = cert.getExtensions();
        if (ext == null) {
            v.add("no extensions");
            return;
        }
        for (ASN1ObjectIdentifier oid : ext.getCriticalExtensionOIDs()) {
            if (!UNDERSTOOD_CRITICAL.contains(oid)) v.add("unexpected critical extension " + oid.getId());
        }

        SubjectKeyIdentifier ski = SubjectKeyIdentifier.fromExtensions(ext);
        byte[] expectedSki = Fingerprints.sha1(cert.getSubjectPublicKeyInfo().getPublicKeyData().getBytes());
        if (ski == null) v.add("subjectKeyIdentifier missing");
        else if (!Arrays.equals(ski.getKeyIdentifier(), expectedSki)) v.add("subjectKeyIdentifier is not the SHA-1 of the public key");
        if (ext.getExtension(Extension.subjectKeyIdentifier) != null && ext.getExtension(Extension.subjectKeyIdentifier).isCritical()) {
            v.add("subjectKeyIdentifier must not be critical");
        }

        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.fromExtensions(ext);
        SubjectKeyIdentifier issuerSki = SubjectKeyIdentifier.fromExtensions(signer.getExtensions());
        if (aki == null) {
            if (!selfSigned) v.add("authorityKeyIdentifier missing");
        } else if (issuerSki == null || !Arrays.equals(aki.getKeyIdentifierOctets(), issuerSki.getKeyIdentifier())) {
            v.add("authorityKeyIdentifier does not match the issuer's subjectKeyIdentifier");
        }

        Extension bcExt = ext.getExtension(Extension.basicConstraints);
        BasicConstraints bc = BasicConstraints.fromExtensions(ext);
        if (profile.kind().isCa()) {
            if (bc == null || !bc.isCA()) v.add("basicConstraints cA TRUE missing");
            else {
                if (!bcExt.isCritical()) v.add("basicConstraints must be critical in a CA certificate");
                BigInteger pathLen = bc.getPathLenConstraint();
                Integer actual = pathLen == null ? null : pathLen.intValue();
                if (!java.util.Objects.equals(actual, expectedPathLen)) v.add("pathLenConstraint is " + actual + ", expected " + expectedPathLen);
            }
        } else if (bc != null && bc.isCA()) {
            v.add("end-entity certificate has basicConstraints cA TRUE");
        } else if (profile.endEntityBasicConstraints()) {
            if (bcExt == null) v.add("basicConstraints (cA FALSE) missing, declared by profile " + profile.name());
            else {
                if (bcExt.isCritical() != profile.basicConstraints().critical()) v.add("basicConstraints criticality differs from profile " + profile.name());
                if (bc.getPathLenConstraint() != null) v.add("end-entity basicConstraints carries a pathLenConstraint");
            }
        } else if (bcExt != null) {
            v.add("basicConstraints present, but profile " + profile.name() + " declares none for end entities");
        }

        Extension kuExt = ext.getExtension(Extension.keyUsage);
        if (kuExt == null) v.add("keyUsage missing");
        else {
            if (!kuExt.isCritical()) v.add("keyUsage must be critical");
            // Same bit order as BouncyCastle's KeyUsage constants, which the builder used.
            int bits = org.bouncycastle.asn1.ASN1BitString.getInstance(kuExt.getParsedValue()).intValue();
            if (bits != profile.keyUsageBits()) v.add("keyUsage differs from the profile's " + profile.keyUsage());
        }

        ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(ext);
        Set<KeyPurposeId> wanted = new HashSet<>(profile.purposes());
        if (wanted.isEmpty() && eku != null) v.add("extendedKeyUsage present but the profile has none");
        if (!wanted.isEmpty() && (eku == null || !wanted.equals(Set.of(eku.getUsages())))) {
            v.add("extendedKeyUsage differs from the profile's " + profile.extendedKeyUsage());
        }
        criticalAsChosen(v, ext, Extension.extendedKeyUsage, "extendedKeyUsage", profile);
        if (cert.getSubject().getRDNs().length > 0) { // with an empty subject RFC 5280 makes it critical (checkSubject)
            criticalAsChosen(v, ext, Extension.subjectAlternativeName, "subjectAltName", profile);
        }

        CertificatePolicies policies = profile.policies();
        Extension policiesExt = ext.getExtension(Extension.certificatePolicies);
        if (policies == null && policiesExt != null) v.add("certificatePolicies present but profile " + profile.name() + " lists none");
        if (policies != null && (policiesExt == null || !policies.equals(CertificatePolicies.getInstance(policiesExt.getParsedValue())))) {
            v.add("certificatePolicies differ from profile " + profile.name() + "'s " + profile.certificatePolicies().stream().map(CertificatePolicy::oid).toList());
        }
        criticalAsChosen(v, ext, Extension.certificatePolicies, "certificatePolicies", profile);

        checkHardwareModuleName(v, ext, profile);
        checkSubjectAltNameTypes(v, ext, profile);
    }

    private static void criticalAsChosen(List<String> v, Extensions ext, ASN1ObjectIdentifier oid, String name, Profile profile) {
        Extension e = ext.getExtension(oid);
        if (e != null && e.isCritical() != profile.marksCritical(name)) {
            v.add(name + " is " + (e.isCritical() ? "" : "not ") + "critical, contrary to profile " + profile.name());
        }
    }

    /** With a subjectAltNames declaration: every entry but the hardwareModuleName of an allowed type, the required ones there. */
    private static void checkSubjectAltNameTypes(List<String> v, Extensions ext, Profile profile) {
        SubjectAltNamePolicy policy = profile.subjectAltNames();
        if (policy == null) {
            return;
        }
        GeneralNames san = GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
        Set<SubjectAltNameType> found = new HashSet<>();
        for (GeneralName name : san == null ? new GeneralName[0] : san.getNames()) {
            if (HardwareModuleName.from(name).isPresent()) continue;
            SubjectAltNameType type = SubjectAltNameType.of(name);
            if (type == null || !policy.allowed().contains(type)) v.add("subjectAltName of a type profile " + profile.name() + " does not allow");
            else found.add(type);
        }
        for (SubjectAltNameType t : policy.required()) {
            if (!found.contains(t)) v.add("subjectAltName lacks a " + t + ", required by profile " + profile.name());
        }
    }

    private static void checkHardwareModuleName(List<String> v, Extensions ext, Profile profile) {
        GeneralNames san = GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
        int found = 0;
        if (san != null) {
            for (GeneralName name : san.getNames()) {
                try {
                    if (HardwareModuleName.from(name).isPresent()) found++;
                } catch (HallmarkException e) {
                    v.add(e.getMessage());
                }
            }
        }
        if (found > 1) v.add("more than one hardwareModuleName");
        if (found > 0 && profile.hardwareModuleName() == Profile.Presence.forbidden) v.add("hardwareModuleName not allowed by profile " + profile.name());
        if (found == 0 && profile.hardwareModuleName() == Profile.Presence.required) v.add("hardwareModuleName required by profile " + profile.name());
    }

    private static void checkSubject(List<String> v, X509CertificateHolder cert, Profile profile) {
        X500Name subject = cert.getSubject();
        boolean hasSan = cert.getExtension(Extension.subjectAlternativeName) != null;
        if (subject.getRDNs().length == 0) {
            if (profile.kind().isCa()) v.add("CA subject is empty");
            else if (!hasSan) v.add("subject is empty and there is no subjectAltName");
            else if (!cert.getExtension(Extension.subjectAlternativeName).isCritical()) v.add("subjectAltName must be critical when the subject is empty");
        }
        if (profile.requireSerialNumber() && subject.getRDNs(BCStyle.SERIALNUMBER).length == 0) {
            v.add("subject lacks serialNumber (2.5.4.5), required by profile " + profile.name());
        }
        if (profile.subject() != null) {
            try {
                profile.subjectRules().check(subject);
            } catch (HallmarkException e) {
                v.add(e.getMessage());
            }
            v.addAll(profile.subjectViolations(subject));
        }
    }
}
