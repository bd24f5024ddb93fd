package io.hallmark.core.matter.attestation;

import io.hallmark.core.crypto.Der;
import io.hallmark.core.crypto.Signatures;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.ASN1OctetString;

import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The format every attestation certificate must have, per kind (Matter Core Specification §6.2.2; the SDK's
 * {@code VerifyAttestationCertificateFormat}): X.509 v3, a positive serial of at most 20 octets,
 * ecdsa-with-SHA256, an uncompressed P-256 key, at most 600 bytes of DER; basicConstraints and keyUsage
 * present and critical with the values of the kind; subjectKeyIdentifier (and for PAI and DAC
 * authorityKeyIdentifier) present, not critical, 20 bytes. A PAA must also be self-signed. Other
 * extensions may appear (the vectors add extendedKeyUsage, subjectAltName, authorityInfoAccess), but a
 * critical one no path validator knows makes the chain unusable, so it is refused here.
 */
public final class AttestationFormat {

    /** The SDK's buffer for a DER attestation certificate ({@code kMaxDERCertLength}). */
    public static final int MAX_DER_BYTES = io.hallmark.core.matter.MatterLimits.MAX_DER_BYTES;
    private static final int KEY_ID_BYTES = 20;
    private static final int MAX_SERIAL_OCTETS = 20;

    private static final Set<ASN1ObjectIdentifier> KNOWN_CRITICAL = Set.of(Extension.basicConstraints, Extension.keyUsage,
            Extension.extendedKeyUsage, Extension.subjectAlternativeName, Extension.issuerAlternativeName, Extension.nameConstraints,
            Extension.certificatePolicies, Extension.policyMappings, Extension.policyConstraints, Extension.inhibitAnyPolicy);

    private static final Map<Integer, String> KEY_USAGE_NAMES = Map.of(KeyUsage.digitalSignature, "digitalSignature",
            KeyUsage.nonRepudiation, "nonRepudiation", KeyUsage.keyEncipherment, "keyEncipherment", KeyUsage.dataEncipherment,
            "dataEncipherment", KeyUsage.keyAgreement, "keyAgreement", KeyUsage.keyCertSign, "keyCertSign", KeyUsage.cRLSign, "cRLSign",
            KeyUsage.encipherOnly, "encipherOnly", KeyUsage.decipherOnly, "decipherOnly");

    private AttestationFormat() {
    }

    /** Whether {@code input} (PEM or DER) is a certificate of this kind's format; the sentence says which rule it breaks. */
    public static Optional<String> violation(CertificateKind kind, byte[] input) {
        try {
            return violation(AttestationCertificate.parse(kind, input));
        } catch (AttestationCertificate.Unreadable e) {
            return Optional.of(kind + ": " + e.getMessage());
        }
    }

    static Optional<String> violation(AttestationCertificate cert) {
        try {
            String broken = firstBrokenRule(cert);
            return broken == null ? Optional.empty() : Optional.of(cert.describe() + ": " + broken);
        } catch (RuntimeException e) {
            // a malformed extension value or name: BouncyCastle throws while decoding it
            return Optional.of(cert.describe() + ": malformed content (" + e.getMessage() + ")");
        }
    }

    private static String firstBrokenRule(AttestationCertificate cert) {
        Certificate x509 = cert.x509();
        CertificateKind kind = cert.kind();
        if (x509.getVersionNumber() != 3) {
            return "version must be v3 (2), is v" + x509.getVersionNumber() + " (" + (x509.getVersionNumber() - 1) + ")";
        }
        BigInteger serial = x509.getSerialNumber().getValue();
        if (serial.signum() <= 0 || serial.toByteArray().length > MAX_SERIAL_OCTETS) {
            return "serial number must be positive and at most 20 octets";
        }
        if (!isEcdsaWithSha256(x509.getSignatureAlgorithm()) || !x509.getSignatureAlgorithm().equals(x509.getTBSCertificate().getSignature())) {
            return "signature algorithm must be ecdsa-with-SHA256 (1.2.840.10045.4.3.2), is " + x509.getSignatureAlgorithm().getAlgorithm().getId();
        }
        String key = keyProblem(x509.getSubjectPublicKeyInfo());
        if (key != null) {
            return key;
        }
        if (cert.der().length > MAX_DER_BYTES) {
            return "DER is " + cert.der().length + " bytes, more than the " + MAX_DER_BYTES + " a Matter verifier accepts";
        }
        if (cert.notAfter().isBefore(cert.notBefore())) {
            return "notAfter precedes notBefore";
        }
        Extensions extensions = x509.getTBSCertificate().getExtensions();
        if (extensions == null) {
            return "has no extensions (basicConstraints, keyUsage and subjectKeyIdentifier are required)";
        }
        for (ASN1ObjectIdentifier oid : extensions.getExtensionOIDs()) {
            Extension e = extensions.getExtension(oid);
            String problem = extensionProblem(kind, e);
            if (problem != null) {
                return problem;
            }
        }
        if (extensions.getExtension(Extension.basicConstraints) == null) {
            return "basicConstraints extension is required";
        }
        if (extensions.getExtension(Extension.keyUsage) == null) {
            return "keyUsage extension is required";
        }
        if (extensions.getExtension(Extension.subjectKeyIdentifier) == null) {
            return "subjectKeyIdentifier extension is required";
        }
        if (kind != CertificateKind.PAA && extensions.getExtension(Extension.authorityKeyIdentifier) == null) {
            return "authorityKeyIdentifier extension is required in a " + kind;
        }
        if (kind == CertificateKind.PAA) {
            if (!x509.getIssuer().equals(x509.getSubject())) {
                return "a PAA must be self-issued (issuer equal to subject)";
            }
            if (!signedBy(cert, x509.getSubjectPublicKeyInfo())) {
                return "a PAA must be self-signed: its signature does not verify with its own key";
            }
        }
        return null;
    }

    static boolean isEcdsaWithSha256(AlgorithmIdentifier algorithm) {
        return X9ObjectIdentifiers.ecdsa_with_SHA256.equals(algorithm.getAlgorithm())
                && algorithm.getParameters() == null; // RFC 5758: the parameters are absent
    }

    private static String keyProblem(SubjectPublicKeyInfo spki) {
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(spki.getAlgorithm().getAlgorithm())) {
            return "public key must be EC (id-ecPublicKey), is " + spki.getAlgorithm().getAlgorithm().getId();
        }
        if (!X9ObjectIdentifiers.prime256v1.equals(spki.getAlgorithm().getParameters())) {
            return "public key must be on prime256v1 (P-256), is on " + spki.getAlgorithm().getParameters();
        }
        byte[] point = spki.getPublicKeyData().getOctets();
        if (point.length != 65 || point[0] != 0x04) {
            return "public key must be an uncompressed P-256 point (65 bytes, 0x04 first)";
        }
        try {
            ECNamedCurveTable.getByOID(X9ObjectIdentifiers.prime256v1).getCurve().decodePoint(point);
        } catch (RuntimeException e) {
            return "public key is not a point on P-256";
        }
        return null;
    }

    private static String extensionProblem(CertificateKind kind, Extension e) {
        ASN1ObjectIdentifier oid = e.getExtnId();
        if (Extension.basicConstraints.equals(oid)) {
            if (!e.isCritical()) {
                return "basicConstraints must be critical";
            }
            BasicConstraints bc = BasicConstraints.getInstance(e.getParsedValue());
            BigInteger pathLen = bc.getPathLenConstraint();
            return switch (kind) {
                case DAC -> bc.isCA() ? "basicConstraints cA must be FALSE in a DAC"
                        : pathLen != null ? "basicConstraints must carry no pathLenConstraint in a DAC, has " + pathLen : null;
                case PAI -> !bc.isCA() ? "basicConstraints cA must be TRUE in a PAI"
                        : pathLen == null || pathLen.signum() != 0 ? "basicConstraints pathLenConstraint must be 0 in a PAI, is "
                        + (pathLen == null ? "absent" : pathLen) : null;
                case PAA -> !bc.isCA() ? "basicConstraints cA must be TRUE in a PAA"
                        : pathLen != null && !BigInteger.ONE.equals(pathLen) ? "basicConstraints pathLenConstraint must be absent or 1 in a PAA, is "
                        + pathLen : null;
            };
        }
        if (Extension.keyUsage.equals(oid)) {
            if (!e.isCritical()) {
                return "keyUsage must be critical";
            }
            KeyUsage ku = KeyUsage.getInstance(e.getParsedValue());
            if (kind == CertificateKind.DAC) {
                return ku.hasUsages(KeyUsage.digitalSignature) && onlyUsages(ku, KeyUsage.digitalSignature) ? null
                        : "keyUsage must be digitalSignature only in a DAC, is " + usages(ku);
            }
            boolean required = ku.hasUsages(KeyUsage.keyCertSign | KeyUsage.cRLSign);
            boolean nothingElse = onlyUsages(ku, KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature);
            return required && nothingElse ? null
                    : "keyUsage must be keyCertSign and cRLSign (digitalSignature allowed, nothing else) in a " + kind + ", is " + usages(ku);
        }
        if (Extension.subjectKeyIdentifier.equals(oid)) {
            if (e.isCritical()) {
                return "subjectKeyIdentifier must not be critical";
            }
            int length = ASN1OctetString.getInstance(e.getParsedValue()).getOctets().length;
            return length == KEY_ID_BYTES ? null : "subjectKeyIdentifier must be 20 bytes, is " + length;
        }
        if (Extension.authorityKeyIdentifier.equals(oid)) {
            if (e.isCritical()) {
                return "authorityKeyIdentifier must not be critical";
            }
            byte[] keyId = AuthorityKeyIdentifier.getInstance(e.getParsedValue()).getKeyIdentifier();
            return keyId != null && keyId.length == KEY_ID_BYTES ? null
                    : "authorityKeyIdentifier must carry a 20-byte keyIdentifier, has " + (keyId == null ? "none" : keyId.length + " bytes");
        }
        if (e.isCritical() && !KNOWN_CRITICAL.contains(oid)) {
            return "unrecognised critical extension " + oid.getId();
        }
        return null;
    }

    /** Whether no usage outside {@code allowed} is set. */
    private static boolean onlyUsages(KeyUsage ku, int allowed) {
        for (int bit : KEY_USAGE_NAMES.keySet()) {
            if ((allowed & bit) != bit && ku.hasUsages(bit)) {
                return false;
            }
        }
        return true;
    }

    private static String usages(KeyUsage ku) {
        StringBuilder out = new StringBuilder();
        for (int bit : new int[]{KeyUsage.digitalSignature, KeyUsage.nonRepudiation, KeyUsage.keyEncipherment, KeyUsage.dataEncipherment,
                KeyUsage.keyAgreement, KeyUsage.keyCertSign, KeyUsage.cRLSign, KeyUsage.encipherOnly, KeyUsage.decipherOnly}) {
            if (ku.hasUsages(bit)) {
                out.append(out.isEmpty() ? "" : ", ").append(KEY_USAGE_NAMES.get(bit));
            }
        }
        return out.isEmpty() ? "empty" : "{" + out + "}";
    }

    /** Whether {@code cert}'s signature, over its to-be-signed bytes as received, verifies with {@code key}. */
    static boolean signedBy(AttestationCertificate cert, SubjectPublicKeyInfo key) {
        Certificate x509 = cert.x509();
        return Signatures.verify(x509.getSignatureAlgorithm(), key, Der.firstElement(cert.der()), x509.getSignature().getOctets());
    }
}
