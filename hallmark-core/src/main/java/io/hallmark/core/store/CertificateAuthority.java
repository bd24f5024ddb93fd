package io.hallmark.core.store;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import org.bouncycastle.cert.X509CertificateHolder;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A CA as stored: its certificate, where its key lives, and which profiles it may issue.
 *
 * @param parent   null for a root
 * @param keyRef   vault reference of the signing key
 * @param pathLen  the pathLenConstraint of its certificate, null if absent
 * @param profiles end-entity profiles this CA issues
 */
public record CertificateAuthority(String name, String parent, KeyAlgorithm algorithm, String keyRef, byte[] certificate,
                                   Integer pathLen, List<String> profiles, Instant createdAt) {

    public CertificateAuthority {
        profiles = List.copyOf(profiles);
        certificate = certificate.clone();
    }

    /** False for a CA imported as a certificate only: Hallmark inventories its certificates but signs nothing for it. */
    public boolean hasKey() {
        return !keyRef.startsWith(io.hallmark.core.vault.KeyVaults.NO_KEY);
    }

    public boolean isRoot() {
        return parent == null;
    }

    public X509CertificateHolder holder() {
        return Pem.holder(certificate);
    }

    public X509Certificate x509() {
        return Pem.x509(certificate);
    }

    public String subject() {
        return holder().getSubject().toString();
    }

    /** Its certificate's serial, lowercase hex. */
    public String serial() {
        return io.hallmark.core.crypto.Serials.hex(holder().getSerialNumber());
    }

    public boolean issues(String profile) {
        return profiles.contains(profile);
    }
}
