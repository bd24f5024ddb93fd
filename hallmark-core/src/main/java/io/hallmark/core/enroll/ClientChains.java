package io.hallmark.core.enroll;

import io.hallmark.core.error.HallmarkException;

import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a TLS client's certificate chain against chosen anchors with the JDK's PKIX validator. TLS
 * itself accepts any client certificate (the handshake proves key possession); whether the certificate
 * is trusted for *this* request is decided here, so that a refusal is a readable HTTP error instead of a
 * TLS alert.
 */
final class ClientChains {

    private ClientChains() {
    }

    /** The anchor the chain validates to, or empty if it validates to none of them. */
    static Optional<X509Certificate> validate(List<X509Certificate> chain, Collection<X509Certificate> anchors) {
        if (chain.isEmpty() || anchors.isEmpty()) {
            return Optional.empty();
        }
        // Certificates the client sent that are anchors themselves (or any self-signed root) are not part of the path.
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : chain) {
            boolean anchor = anchors.stream().anyMatch(a -> a.equals(c));
            boolean selfSigned = c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && path.size() > 0;
            if (!anchor && !selfSigned) path.add(c);
        }
        if (path.isEmpty()) {
            return Optional.empty();
        }
        try {
            Set<TrustAnchor> trust = new HashSet<>();
            for (X509Certificate a : anchors) trust.add(new TrustAnchor(a, null));
            PKIXParameters params = new PKIXParameters(trust);
            params.setRevocationEnabled(false); // revocation is checked against Hallmark's own records
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            var result = (java.security.cert.PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(certPath, params);
            return Optional.of(result.getTrustAnchor().getTrustedCert());
        } catch (CertPathValidatorException e) {
            return Optional.empty();
        } catch (java.security.GeneralSecurityException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot validate client chain: " + e.getMessage(), e);
        }
    }
}
