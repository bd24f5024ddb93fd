package io.hallmark.core.issue;

import io.hallmark.core.crypto.Der;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.publication.Publishing;
import io.hallmark.core.x509.CertificateAssembler;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TBSCertificate of a factory batch's device certificates, assembled from parts encoded once per batch.
 *
 * <p>Why: BouncyCastle's certificate builder rebuilds and re-encodes the whole ASN.1 tree (issuer name,
 * algorithm identifier, every extension) for every certificate, which cost more than the signature
 * itself at factory rates. Within a batch only the serial, validity, subject, key, SKI, the optional
 * hardwareModuleName and the CRL partition's CDP change; everything else is the same bytes. The
 * result is byte-for-byte what {@link CertificateAssembler} builds from the same inputs (a test holds
 * the two to that), and each certificate still goes through the profile validator after signing.
 */
final class BatchTemplate {

    private static final byte[] VERSION_3 = {(byte) 0xA0, 0x03, 0x02, 0x01, 0x02};
    private static final byte EXTENSIONS = (byte) 0xA3; // [3] EXPLICIT
    /** SKI extension up to its 20-byte key identifier: SEQ { OID 2.5.29.14, OCTET STRING { OCTET STRING(20) } }. */
    private static final byte[] SKI_PREFIX;

    static {
        byte[] dummy = encode(new Extension(Extension.subjectKeyIdentifier, false, encode(
                CertificateAssembler.keyIdentifier(new SubjectPublicKeyInfo(
                        new AlgorithmIdentifier(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey), new byte[1])))));
        SKI_PREFIX = Arrays.copyOf(dummy, dummy.length - 20);
    }

    private final byte[] signatureAlgorithm;
    private final byte[] issuer;
    /** AKI, basicConstraints, keyUsage, extendedKeyUsage: between SKI and SAN, in {@link CertificateAssembler}'s order. */
    private final byte[] fixedExtensions;
    /** certificatePolicies: after SAN, before the publication pointers. */
    private final byte[] afterNames;
    private final Profile profile;
    private final Publication publication;
    private final String caName;
    private final ConcurrentHashMap<Integer, byte[]> pointers = new ConcurrentHashMap<>();
    private volatile Validity lastValidity = new Validity(Instant.MIN, Instant.MIN, null);

    private record Validity(Instant notBefore, Instant notAfter, byte[] der) {
    }

    /**
     * Whether the template encodes every feature of {@code profile}, so that its bytes are what {@link CertificateAssembler}
     * would build: end-entity profiles whose only per-device subjectAltName is the hardwareModuleName. Profiles that take
     * names from the request ({@code subjectAltNames}) go to the general encoder. The one place that choice is made.
     */
    static boolean covers(Profile profile) {
        return !profile.kind().isCa() && profile.subjectAltNames() == null;
    }

    /**
     * Whether the template carries these subjectAltNames: it encodes at most the hardwareModuleName, so a
     * certificate with other names (a server's DNS names and addresses) takes the general encoder.
     */
    static boolean carries(List<GeneralName> subjectAltNames, HardwareModuleName hw) {
        return subjectAltNames.isEmpty() || (hw != null && subjectAltNames.size() == 1 && subjectAltNames.getFirst().equals(hw.toGeneralName()));
    }

    BatchTemplate(X500Name issuer, SubjectPublicKeyInfo issuerKey, AlgorithmIdentifier signatureAlgorithm, Profile profile,
                  Publication publication, String caName) {
        if (!covers(profile)) {
            throw new IllegalArgumentException("the batch template does not cover profile " + profile.name());
        }
        this.profile = profile;
        this.signatureAlgorithm = encode(signatureAlgorithm);
        this.issuer = encode(issuer);
        this.publication = publication;
        this.caName = caName;
        ByteArrayOutputStream fixed = new ByteArrayOutputStream();
        for (Extension e : CertificateAssembler.beforeNames(profile, issuerKey, null)) {
            fixed.writeBytes(encode(e));
        }
        ByteArrayOutputStream after = new ByteArrayOutputStream();
        for (Extension e : CertificateAssembler.afterNames(profile)) {
            after.writeBytes(encode(e));
        }
        this.afterNames = after.toByteArray();
        this.fixedExtensions = fixed.toByteArray();
    }

    /** The DER TBSCertificate. {@code subjectKeyId} is the 20-byte SHA-1 of the key (RFC 5280 §4.2.1.2 method 1). */
    byte[] tbs(BigInteger serial, Instant notBefore, Instant notAfter, X500Name subject, SubjectPublicKeyInfo key, byte[] subjectKeyId,
               GeneralName hardwareModuleName, Integer partition) {
        ByteArrayOutputStream extensions = new ByteArrayOutputStream(512);
        extensions.writeBytes(SKI_PREFIX);
        extensions.writeBytes(subjectKeyId);
        extensions.writeBytes(fixedExtensions);
        if (hardwareModuleName != null) {
            extensions.writeBytes(encode(CertificateAssembler.subjectAltName(profile, subject, java.util.List.of(hardwareModuleName))));
        }
        extensions.writeBytes(afterNames);
        extensions.writeBytes(pointers.computeIfAbsent(partition == null ? -1 : partition, this::pointers));
        return Der.tlv(Der.SEQUENCE, VERSION_3, encode(new ASN1Integer(serial)), signatureAlgorithm, issuer, validity(notBefore, notAfter),
                encode(subject), encode(key), Der.tlv(EXTENSIONS, Der.tlv(Der.SEQUENCE, extensions.toByteArray())));
    }

    /** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }. */
    byte[] certificate(byte[] tbs, byte[] signature) {
        byte[] bits = new byte[signature.length + 1]; // leading 0: no unused bits
        System.arraycopy(signature, 0, bits, 1, signature.length);
        return Der.tlv(Der.SEQUENCE, tbs, signatureAlgorithm, Der.tlv(Der.BIT_STRING, bits));
    }

    /** Device certificates of one batch share notBefore per second: encode each second's validity once. */
    private byte[] validity(Instant notBefore, Instant notAfter) {
        Validity last = lastValidity;
        if (!last.notBefore().equals(notBefore) || !last.notAfter().equals(notAfter)) {
            last = new Validity(notBefore, notAfter, Der.tlv(Der.SEQUENCE, encode(CertificateAssembler.time(notBefore)), encode(CertificateAssembler.time(notAfter))));
            lastValidity = last;
        }
        return last.der();
    }

    private byte[] pointers(int partition) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Extension e : Publishing.pointers(publication, caName, partition < 0 ? null : partition)) {
            out.writeBytes(encode(e));
        }
        return out.toByteArray();
    }

    private static byte[] encode(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
