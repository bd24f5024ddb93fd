package io.hallmark.core.matter.attestation;

import io.hallmark.core.crypto.Asn1Times;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.text.SafeText;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

import java.time.Instant;
import java.util.Optional;

/**
 * One certificate of an attestation chain, parsed strictly: a single DER X.509 certificate (PEM accepted
 * around it), nothing after it. What cannot be read this way is refused as a format error of its kind,
 * the way the SDK's {@code d2i_X509} failure is.
 */
record AttestationCertificate(CertificateKind kind, byte[] der, Certificate x509) {

    /** Parses PEM or DER; the message of the exception is the reason, for a {@code k*FormatInvalid} refusal. */
    static AttestationCertificate parse(CertificateKind kind, byte[] input) throws Unreadable {
        byte[] der;
        try {
            der = Pem.derOf(input, "CERTIFICATE");
        } catch (HallmarkException e) {
            throw new Unreadable(e.getMessage());
        }
        if (der.length == 0) {
            throw new Unreadable("empty");
        }
        ASN1Primitive asn1;
        try {
            // fromByteArray refuses bytes after the certificate ("extra data"), which the fuzzed vectors carry
            asn1 = ASN1Primitive.fromByteArray(der);
        } catch (Exception e) {
            throw new Unreadable("not a well-formed X.509 certificate (" + SafeText.escape(String.valueOf(e.getMessage())) + ")");
        }
        try {
            return new AttestationCertificate(kind, der, Certificate.getInstance(asn1));
        } catch (RuntimeException e) {
            Integer version = declaredVersion(asn1);
            if (version != null && version != 2) {
                // BouncyCastle refuses a v1/v2 certificate with extensions outright; say which rule that is
                throw new Unreadable("version must be v3 (2), is v" + (version + 1) + " (" + version + ")");
            }
            throw new Unreadable("not a well-formed X.509 certificate (" + SafeText.escape(String.valueOf(e.getMessage())) + ")");
        }
    }

    /** The version field of a certificate-shaped structure (0 when absent, v1), or null if it has no such shape. */
    private static Integer declaredVersion(ASN1Primitive asn1) {
        try {
            ASN1Sequence tbs = ASN1Sequence.getInstance(ASN1Sequence.getInstance(asn1).getObjectAt(0));
            if (tbs.getObjectAt(0) instanceof ASN1TaggedObject tagged && tagged.getTagNo() == 0) {
                return ASN1Integer.getInstance(tagged.getExplicitBaseObject()).intValueExact();
            }
            return 0;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The certificate could not be parsed; the message says why. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    X500Name subject() {
        return x509.getSubject();
    }

    X500Name issuer() {
        return x509.getIssuer();
    }

    Instant notBefore() {
        return Asn1Times.instant(x509.getStartDate());
    }

    Instant notAfter() {
        return Asn1Times.instant(x509.getEndDate());
    }

    Optional<Extension> extension(org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
        Extensions extensions = x509.getTBSCertificate().getExtensions();
        return Optional.ofNullable(extensions == null ? null : extensions.getExtension(oid));
    }

    /** The subjectKeyIdentifier's bytes, if the extension is present and well formed. */
    Optional<byte[]> subjectKeyId() {
        return extension(Extension.subjectKeyIdentifier).map(e -> ASN1OctetString.getInstance(e.getParsedValue()).getOctets());
    }

    /** The authorityKeyIdentifier's keyIdentifier, if present. */
    Optional<byte[]> authorityKeyId() {
        return extension(Extension.authorityKeyIdentifier).map(e -> AuthorityKeyIdentifier.getInstance(e.getParsedValue()).getKeyIdentifier());
    }

    /** "DAC CN=..., 1.3.6.1.4.1.37244.2.1=FFF1", for messages. */
    String describe() {
        return kind + " '" + SafeText.escape(subject().toString()) + "'";
    }
}
