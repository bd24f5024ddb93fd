package io.hallmark.core.store;

import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.Serials;
import org.bouncycastle.cert.X509CertificateHolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A certificate as stored.
 *
 * @param serial      lowercase hex
 * @param keyId       SHA-256 of the SubjectPublicKeyInfo, hex: the same key gives the same id
 * @param fingerprint SHA-256 of the certificate DER, hex
 * @param revocation  null while not revoked
 * @param crlPartition CRL partition its CRL distribution point names, fixed at issuance; null for none
 */
public record CertificateRecord(String serial, String caName, String profile, String deviceId, String subject,
                                String keyId, String fingerprint, Instant notBefore, Instant notAfter,
                                Instant issuedAt, byte[] der, Revocation revocation, Integer crlPartition) {

    public CertificateRecord(String serial, String caName, String profile, String deviceId, String subject, String keyId,
                             String fingerprint, Instant notBefore, Instant notAfter, Instant issuedAt, byte[] der, Revocation revocation) {
        this(serial, caName, profile, deviceId, subject, keyId, fingerprint, notBefore, notAfter, issuedAt, der, revocation, null);
    }

    /** The record for a freshly signed certificate. */
    public static CertificateRecord of(X509CertificateHolder cert, String caName, String profile, String deviceId, Instant issuedAt) {
        try {
            byte[] der = cert.getEncoded();
            return new CertificateRecord(Serials.hex(cert.getSerialNumber()), caName, profile, deviceId, cert.getSubject().toString(),
                    Fingerprints.sha256Hex(cert.getSubjectPublicKeyInfo().getEncoded()), Fingerprints.sha256Hex(der),
                    cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), issuedAt, der, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Status status(Instant now) {
        if (revocation != null) return Status.REVOKED;
        return now.isAfter(notAfter) ? Status.EXPIRED : Status.VALID;
    }

    public CertificateRecord withRevocation(Revocation r) {
        return new CertificateRecord(serial, caName, profile, deviceId, subject, keyId, fingerprint, notBefore, notAfter, issuedAt, der, r, crlPartition);
    }

    public CertificateRecord withCrlPartition(Integer partition) {
        return new CertificateRecord(serial, caName, profile, deviceId, subject, keyId, fingerprint, notBefore, notAfter, issuedAt, der, revocation, partition);
    }

    public enum Status { VALID, EXPIRED, REVOKED }
}
