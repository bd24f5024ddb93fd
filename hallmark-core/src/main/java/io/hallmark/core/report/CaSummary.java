package io.hallmark.core.report;

import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.Revocation;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;

import java.util.HexFormat;
import java.util.List;

/** A CA as shown by `ca list/show --json` and the REST API. Times are ISO-8601 UTC. */
public record CaSummary(String name, String parent, String subject, String algorithm, String serial, String notBefore,
                        String notAfter, Integer pathLen, List<String> profiles, String keyRef, String subjectKeyId,
                        String sha256, String revokedAt, String revocationReason) {

    public static CaSummary of(CertificateAuthority ca) {
        return of(ca, null);
    }

    /** @param revocation of the CA's own certificate ({@code hallmark ca revoke}), or null */
    public static CaSummary of(CertificateAuthority ca, Revocation revocation) {
        X509CertificateHolder cert = ca.holder();
        SubjectKeyIdentifier ski = SubjectKeyIdentifier.fromExtensions(cert.getExtensions());
        return new CaSummary(ca.name(), ca.parent(), cert.getSubject().toString(), ca.algorithm().id(),
                Serials.hex(cert.getSerialNumber()), cert.getNotBefore().toInstant().toString(),
                cert.getNotAfter().toInstant().toString(), ca.pathLen(), ca.profiles(), ca.keyRef(),
                ski == null ? null : HexFormat.of().formatHex(ski.getKeyIdentifier()), Fingerprints.sha256Hex(ca.certificate()),
                revocation == null ? null : revocation.revokedAt().toString(), revocation == null ? null : revocation.reason().name());
    }
}
