package io.hallmark.server.est;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.util.CollectionStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/** RFC 7030's wire forms: certs-only CMS SignedData (a "degenerate PKCS#7"), base64 as RFC 2045 has it. */
final class Pkcs7 {

    private Pkcs7() {
    }

    static byte[] certsOnly(List<byte[]> certificates) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new CollectionStore<>(certificates.stream().map(Pkcs7::holder).toList()));
            return generator.generate(new CMSAbsentContent()).getEncoded("DER"); // DER, not BC's default BER
        } catch (CMSException | IOException e) {
            throw new IllegalStateException("cannot encode certs-only CMS", e);
        }
    }

    /**
     * Base64 in 64-character lines. LF rather than RFC 2045's CRLF: EST clients ignore line breaks either
     * way, while `base64 -d` (coreutils) rejects the CR.
     */
    static byte[] base64(byte[] der) {
        return (Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static X509CertificateHolder holder(byte[] der) {
        try {
            return new X509CertificateHolder(der);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
