package io.hallmark.core.x509;

import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.ProfileValidator;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.profile.Profile;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CertificatePolicies;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds, signs and validates one certificate. The only place Hallmark creates certificates, so every
 * one of them, CA or device, gets the same SKI/AKI method, time encoding and profile check.
 */
public final class CertificateAssembler {

    private CertificateAssembler() {
    }

    /**
     * @param issuer     the CA certificate, or null for a self-signed root
     * @param signingKey the issuer's key (for a root, the subject's own)
     */
    public static X509CertificateHolder sign(CertificateTemplate t, X509CertificateHolder issuer, KeyHandle signingKey) {
        return sign(t, issuer, signingKey, true);
    }

    /**
     * @param checkSignature whether the profile check re-verifies the fresh signature; always true except
     *                       for the sampled factory path (see {@code IssuanceSigner})
     */
    public static X509CertificateHolder sign(CertificateTemplate t, X509CertificateHolder issuer, KeyHandle signingKey, boolean checkSignature) {
        SubjectPublicKeyInfo issuerKey = issuer == null ? t.publicKey() : issuer.getSubjectPublicKeyInfo();
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                issuer == null ? t.subject() : issuer.getSubject(),
                t.serial() != null ? t.serial() : Serials.random(),
                time(t.notBefore()),
                time(t.notAfter()),
                t.subject(),
                t.publicKey());
        try {
            builder.addExtension(Extension.subjectKeyIdentifier, false, keyIdentifier(t.publicKey()));
            for (Extension e : beforeNames(t.profile(), issuerKey, t.pathLen())) {
                builder.addExtension(e);
            }
            if (!t.subjectAltNames().isEmpty()) {
                builder.addExtension(subjectAltName(t.profile(), t.subject(), t.subjectAltNames()));
            }
            for (Extension e : afterNames(t.profile())) {
                builder.addExtension(e);
            }
            for (Extension extra : t.extensions()) {
                builder.addExtension(extra);
            }
        } catch (CertIOException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot encode extensions: " + e.getMessage(), e);
        }
        X509CertificateHolder cert = builder.build(signingKey.signer());
        ProfileValidator.require(cert, t.profile(), issuer, t.profile().kind().isCa() ? t.pathLen() : null, checkSignature);
        return cert;
    }

    /*
     * The extensions a profile fixes, in the order every Hallmark certificate carries them: SKI (per key), then
     * these, then SAN (per device), then the ones after it, then publication pointers. BatchTemplate encodes the
     * same lists once per batch, which is what keeps its bytes identical to this encoder's.
     */

    /** AKI, basicConstraints (CAs; end entities when the profile declares it), keyUsage, extendedKeyUsage. */
    public static List<Extension> beforeNames(Profile profile, SubjectPublicKeyInfo issuerKey, Integer pathLen) {
        List<Extension> out = new ArrayList<>(4);
        out.add(extension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyIdentifier(issuerKey).getKeyIdentifier())));
        if (profile.kind().isCa()) {
            out.add(extension(Extension.basicConstraints, true, pathLen == null ? new BasicConstraints(true) : new BasicConstraints(pathLen)));
        } else if (profile.endEntityBasicConstraints()) {
            out.add(extension(Extension.basicConstraints, profile.basicConstraints().critical(), new BasicConstraints(false)));
        }
        out.add(extension(Extension.keyUsage, true, new KeyUsage(profile.keyUsageBits())));
        if (!profile.purposes().isEmpty()) {
            out.add(extension(Extension.extendedKeyUsage, profile.marksCritical("extendedKeyUsage"),
                    new ExtendedKeyUsage(profile.purposes().toArray(KeyPurposeId[]::new))));
        }
        return out;
    }

    /** RFC 5280 §4.2.1.6: critical when the subject is empty, otherwise as the profile chooses. */
    public static Extension subjectAltName(Profile profile, X500Name subject, List<GeneralName> names) {
        return extension(Extension.subjectAlternativeName, subject.getRDNs().length == 0 || profile.marksCritical("subjectAltName"),
                new GeneralNames(names.toArray(GeneralName[]::new)));
    }

    /** certificatePolicies, when the profile lists any. */
    public static List<Extension> afterNames(Profile profile) {
        CertificatePolicies policies = profile.policies();
        return policies == null ? List.of() : List.of(extension(Extension.certificatePolicies, profile.marksCritical("certificatePolicies"), policies));
    }

    private static Extension extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            return new Extension(oid, critical, value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final java.time.format.DateTimeFormatter UTC_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(java.time.ZoneOffset.UTC);
    private static final java.time.format.DateTimeFormatter GENERALIZED_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'", Locale.ROOT).withZone(java.time.ZoneOffset.UTC);
    private static final Instant Y2050 = Instant.parse("2050-01-01T00:00:00Z");

    /**
     * UTCTime through 2049 and GeneralizedTime from 2050, whole seconds, Zulu, as RFC 5280 §4.1.2.5 requires.
     * Formatted with java.time rather than BouncyCastle's Time(Date), which builds a SimpleDateFormat per
     * call: a tenth of a factory certificate's cost. Public for the batch path's DER template
     * ({@code issue.BatchTemplate}), which must encode times exactly as this does.
     */
    public static Time time(Instant instant) {
        return instant.isBefore(Y2050)
                ? new Time(new org.bouncycastle.asn1.DERUTCTime(UTC_TIME.format(instant)))
                : new Time(new org.bouncycastle.asn1.DERGeneralizedTime(GENERALIZED_TIME.format(instant)));
    }

    /** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's value, 20 bytes. */
    public static SubjectKeyIdentifier keyIdentifier(SubjectPublicKeyInfo key) {
        return new SubjectKeyIdentifier(new DEROctetString(Fingerprints.sha1(key.getPublicKeyData().getBytes())).getOctets());
    }
}
