package io.hallmark.core;

import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.vault.KeyHandle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.security.KeyPair;
import java.security.PublicKey;

/** An in-memory {@link KeyHandle} for tests: a JCA key pair, no vault. */
public record TestKey(String ref, KeyAlgorithm algorithm, KeyPair pair) implements KeyHandle {

    public static TestKey generate(KeyAlgorithm algorithm) {
        CryptoProviders.install();
        return new TestKey("test:" + algorithm.id(), algorithm, algorithm.generate());
    }

    @Override
    public PublicKey publicKey() {
        return pair.getPublic();
    }

    public SubjectPublicKeyInfo spki() {
        return SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
    }

    @Override
    public ContentSigner signer() {
        try {
            return new JcaContentSignerBuilder(algorithm.signatureAlgorithm()).build(pair.getPrivate());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
