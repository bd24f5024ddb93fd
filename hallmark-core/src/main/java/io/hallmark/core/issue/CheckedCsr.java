package io.hallmark.core.issue;

import io.hallmark.core.HallmarkException;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.crypto.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
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
        boolean valid;
        try {
            valid = verifies(csr, key);
        } catch (Exception e) {
            valid = false;
        }
        if (!valid) {
            throw HallmarkException.badInput("CSR signature does not verify with its own key (no proof of possession)");
        }
        return new CheckedCsr(csr.getSubject(), csr.getSubjectPublicKeyInfo(), key);
    }

    private static final java.util.Map<org.bouncycastle.asn1.ASN1ObjectIdentifier, String> SIGNATURES = java.util.Map.of(
            org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
            org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
            org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA",
            org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA",
            org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA",
            org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA",
            org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519, "Ed25519");

    /**
     * Proof of possession. The common algorithms go straight to JCA with a key from the first provider's
     * factory (ACCP when loaded): BouncyCastle's verifier builder costs about twice the verification itself
     * (a BC key object that ACCP re-imports, small writes through its output stream), which at factory
     * rates is most of a core. Anything else (RSA-PSS, Ed448...) takes BouncyCastle's general path.
     */
    private static boolean verifies(PKCS10CertificationRequest csr, String key) throws Exception {
        var algorithm = csr.getSignatureAlgorithm();
        String name = SIGNATURES.get(algorithm.getAlgorithm());
        boolean absentParameters = algorithm.getParameters() == null || algorithm.getParameters() instanceof org.bouncycastle.asn1.ASN1Null;
        if (name == null || !absentParameters) {
            return csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()));
        }
        java.security.Signature signature = java.security.Signature.getInstance(name);
        signature.initVerify(publicKey(csr.getSubjectPublicKeyInfo(), key));
        signature.update(csr.toASN1Structure().getCertificationRequestInfo().getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER));
        return signature.verify(csr.getSignature());
    }

    /**
     * The key through the first JCA provider's own factory. Handing BouncyCastle the SubjectPublicKeyInfo
     * makes it build a BC key object ("ECDSA" factory), which ACCP then has to re-import, or which lands
     * the verification in BC's pure-Java code: together about twice the cost of the verification itself.
     */
    private static java.security.PublicKey publicKey(SubjectPublicKeyInfo info, String description) throws Exception {
        String algorithm = description.startsWith("ec-") ? "EC" : description.startsWith("rsa") ? "RSA"
                : description.equals("ed25519") ? "Ed25519" : "Ed448";
        return java.security.KeyFactory.getInstance(algorithm).generatePublic(new java.security.spec.X509EncodedKeySpec(info.getEncoded()));
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
