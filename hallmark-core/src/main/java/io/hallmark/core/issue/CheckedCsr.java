package io.hallmark.core.issue;

import io.hallmark.core.HallmarkException;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.Signatures;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import java.util.Arrays;

/**
 * A PKCS#10 request that has passed the checks every issuance needs: well-formed DER, an acceptable
 * key, and a signature by that key (proof of possession). Extensions the requester asks for are
 * deliberately ignored: the profile, not the device, decides what goes into the certificate.
 *
 * @param keyDescription e.g. {@code ec-p256}, {@code rsa-3072}
 */
public record CheckedCsr(X500Name subject, SubjectPublicKeyInfo publicKey, String keyDescription) {

    /** Larger than any real CSR (an RSA-8192 one is about 2 KiB); bounds what a caller can make us parse. */
    public static final int MAX_BYTES = 64 * 1024;

    /** Parses PEM or DER and checks it; every failure is a one-line BAD_INPUT. */
    public static CheckedCsr check(byte[] input, KeyPolicy policy) {
        if (input == null || input.length == 0) {
            throw HallmarkException.badInput("empty CSR");
        }
        if (input.length > MAX_BYTES) {
            throw HallmarkException.badInput("CSR of " + input.length + " bytes is larger than the " + MAX_BYTES + " accepted");
        }
        byte[] der = Pem.blocks(input, "CERTIFICATE REQUEST").stream().findFirst()
                .or(() -> Pem.blocks(input, "NEW CERTIFICATE REQUEST").stream().findFirst())
                .orElseGet(() -> Pem.derOf(input, "CERTIFICATE REQUEST"));
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(der);
            if (!Arrays.equals(csr.getEncoded(), der)) {
                throw new IllegalArgumentException("not DER, or trailing bytes");
            }
        } catch (Exception e) {
            throw HallmarkException.badInput("not a PKCS#10 certificate request (" + firstLine(e) + ")");
        }
        String key = policy.check(csr.getSubjectPublicKeyInfo());
        if (!Signatures.verify(csr.getSignatureAlgorithm(), csr.getSubjectPublicKeyInfo(), signedPart(der), csr.getSignature())) {
            throw HallmarkException.badInput("CSR signature does not verify with its own key (no proof of possession)");
        }
        return new CheckedCsr(csr.getSubject(), csr.getSubjectPublicKeyInfo(), key);
    }

    /**
     * The CertificationRequestInfo, the part the signature covers: the first element of the outer SEQUENCE,
     * cut from the input rather than re-encoded. Only called once the input is known to be exactly DER.
     */
    private static byte[] signedPart(byte[] der) {
        int at = headerLength(der, 0);
        return Arrays.copyOfRange(der, at, at + headerLength(der, at) + contentLength(der, at));
    }

    private static int headerLength(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        return first < 0x80 ? 2 : 2 + (first & 0x7f);
    }

    private static int contentLength(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = length << 8 | der[at + 2 + i] & 0xff;
        }
        return length;
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
