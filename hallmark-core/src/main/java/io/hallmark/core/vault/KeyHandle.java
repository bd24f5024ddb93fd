package io.hallmark.core.vault;

import io.hallmark.core.crypto.KeyAlgorithm;
import org.bouncycastle.operator.ContentSigner;

import java.security.PublicKey;

/**
 * A private key held by a vault. Code signs through the handle; there is deliberately no way to get the
 * private key out, so an HSM-backed handle and a software one are interchangeable.
 */
public interface KeyHandle {

    /** Vault reference, stored with the CA ({@code soft:root-1a2b3c4d}, later {@code pkcs11:...}). */
    String ref();

    KeyAlgorithm algorithm();

    PublicKey publicKey();

    /**
     * Whether a signature leaves the process (a PKCS#11 token, a network HSM) and so may never come back: the
     * issuance pipeline then bounds how long it waits (io.hallmark.core.issue.SigningDeadline). A key signed in
     * memory is plain computation and says false.
     */
    default boolean mayHang() {
        return false;
    }

    /** A fresh signer (signers are stateful streams: one per signature) using the key's algorithm. */
    ContentSigner signer();

    /** Signs bytes already encoded (a TBSCertificate, say) with the key's algorithm. */
    default byte[] sign(byte[] data) {
        ContentSigner signer = signer();
        try (java.io.OutputStream out = signer.getOutputStream()) {
            out.write(data);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return signer.getSignature();
    }
}
