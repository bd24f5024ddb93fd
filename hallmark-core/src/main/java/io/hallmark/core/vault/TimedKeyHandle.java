package io.hallmark.core.vault;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;

import java.io.OutputStream;
import java.security.PublicKey;

/**
 * A key handle whose signatures are timed: {@link ContentSigner#getSignature()} is where a vault signs (the
 * stream only collects the bytes), so that call is what is measured, for every caller at once (certificates,
 * CRLs, OCSP answers) rather than at each call site.
 */
record TimedKeyHandle(KeyHandle key, String scheme, SigningTimer timer) implements KeyHandle {

    @Override
    public String ref() {
        return key.ref();
    }

    @Override
    public io.hallmark.core.crypto.KeyAlgorithm algorithm() {
        return key.algorithm();
    }

    @Override
    public PublicKey publicKey() {
        return key.publicKey();
    }

    @Override
    public boolean mayHang() {
        return key.mayHang();
    }

    @Override
    public ContentSigner signer() {
        ContentSigner signer = key.signer();
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return signer.getAlgorithmIdentifier();
            }

            @Override
            public OutputStream getOutputStream() {
                return signer.getOutputStream();
            }

            @Override
            public byte[] getSignature() {
                long start = System.nanoTime();
                try {
                    return signer.getSignature();
                } finally {
                    timer.signed(scheme, System.nanoTime() - start);
                }
            }
        };
    }
}
