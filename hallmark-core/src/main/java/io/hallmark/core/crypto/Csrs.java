package io.hallmark.core.crypto;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;

/**
 * Makes PKCS#10 requests, for development keys (`issue --generate-key`, quickstart demo devices) and for
 * the device agent. Real devices make theirs in a secure element; the server never needs this.
 */
public final class Csrs {

    private Csrs() {
    }

    public static byte[] create(KeyPair keys, KeyAlgorithm algorithm, X500Name subject) {
        try {
            JcaContentSignerBuilder signer = new JcaContentSignerBuilder(algorithm.signatureAlgorithm());
            if (algorithm.provider() != null) {
                signer.setProvider(algorithm.provider()); // the provider that made the key (ML-DSA: the JDK's)
            }
            return new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .build(signer.build(keys.getPrivate()))
                    .getEncoded();
        } catch (OperatorCreationException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot sign CSR: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unencrypted PKCS#8 PEM, the form OpenSSL, curl and Mosquitto read. Write it with mode 0600. */
    public static String privateKeyPem(KeyPair keys) {
        return Pem.encode("PRIVATE KEY", keys.getPrivate().getEncoded());
    }
}
