package io.hallmark.cli.ceremony;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.vault.KeyHandle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Signs the transcript with the new root: a detached CMS SignedData (RFC 5652) carrying the root certificate, in PEM,
 * which {@code openssl cms -verify -binary -content transcript.txt -inform PEM -in transcript.p7s -CAfile root.pem
 * -purpose any} checks. Detached, so the transcript stays a plain text file anyone can read and print.
 */
final class TranscriptSigner {

    private TranscriptSigner() {
    }

    static String sign(byte[] transcript, KeyHandle root, X509CertificateHolder rootCertificate) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new SignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(root.signer(), rootCertificate));
            generator.addCertificate(rootCertificate);
            CMSSignedData signed = generator.generate(new CMSProcessableByteArray(transcript), false);
            return Pem.encode("CMS", signed.getEncoded());
        } catch (OperatorCreationException | CMSException e) {
            throw new IllegalStateException("cannot sign the transcript: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
