package io.hallmark.device;

import io.hallmark.core.HallmarkException;
import io.hallmark.core.crypto.Pem;
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
            der = Base64.getMimeDecoder().decode(new String(body, StandardCharsets.US_ASCII).strip());
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
        List<X509Certificate> left = new ArrayList<>(certs);
        X509Certificate leaf = left.stream()
                .filter(c -> left.stream().noneMatch(o -> o != c && o.getIssuerX500Principal().equals(c.getSubjectX500Principal())))
                .findFirst().orElse(left.getFirst());
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate next = leaf;
        while (next != null && left.remove(next)) {
            chain.add(next);
            X509Certificate current = next;
            next = current.getIssuerX500Principal().equals(current.getSubjectX500Principal()) ? null
                    : left.stream().filter(o -> o.getSubjectX500Principal().equals(current.getIssuerX500Principal())).findFirst().orElse(null);
        }
        chain.addAll(left); // certificates that are not part of the chain stay, after it
        return chain;
    }
}
