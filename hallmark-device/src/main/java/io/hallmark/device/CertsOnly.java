package io.hallmark.device;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reads RFC 7030's responses: base64 of a certs-only CMS SignedData ("degenerate PKCS#7"). */
final class CertsOnly {

    private CertsOnly() {
    }

    static List<X509Certificate> parse(byte[] body, String what) {
        byte[] der;
        try {
            // Line breaks are allowed (RFC 2045), anything else outside the alphabet is not: the MIME decoder would skip it.
            der = Base64.getDecoder().decode(new String(body, StandardCharsets.US_ASCII).replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "the server's " + what + " response is not base64");
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (X509CertificateHolder holder : new CMSSignedData(der).getCertificates().getMatches(null)) {
                out.add(Pem.x509(holder.getEncoded()));
            }
            if (out.isEmpty()) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "the server's " + what + " response holds no certificate");
            }
            return out;
        } catch (CMSException | IOException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "the server's " + what + " response is not a certs-only PKCS#7: " + e.getMessage());
        }
    }

    /**
     * The certificates as a chain, the one that issued none of the others first and the root last. CMS
     * keeps certificates in a SET, which DER sorts by encoding, so the order on the wire means nothing.
     */
    static List<X509Certificate> orderChain(List<X509Certificate> certs) {
        // Candidates for the chain's start issued none of the others; with unrelated extras there are several,
        // and the longest chain wins.
        List<X509Certificate> best = List.of();
        for (X509Certificate start : certs) {
            boolean issuesAnother = certs.stream().anyMatch(o -> o != start && !selfSigned(o)
                    && o.getIssuerX500Principal().equals(start.getSubjectX500Principal()));
            if (issuesAnother) continue;
            List<X509Certificate> chain = chainFrom(start, certs);
            if (chain.size() > best.size()) best = chain;
        }
        List<X509Certificate> out = new ArrayList<>(best);
        for (X509Certificate c : certs) {
            if (!out.contains(c)) out.add(c); // certificates that are not part of the chain stay, after it
        }
        return out;
    }

    private static List<X509Certificate> chainFrom(X509Certificate start, List<X509Certificate> certs) {
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate next = start;
        while (next != null && !chain.contains(next)) {
            chain.add(next);
            X509Certificate current = next;
            next = selfSigned(current) ? null : certs.stream()
                    .filter(o -> o.getSubjectX500Principal().equals(current.getIssuerX500Principal())).findFirst().orElse(null);
        }
        return chain;
    }

    private static boolean selfSigned(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }
}
