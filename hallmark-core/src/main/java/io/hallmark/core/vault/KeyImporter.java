package io.hallmark.core.vault;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * A vault that can take in a key made elsewhere: a CA taken over from OpenSSL or another PKI. The key is kept
 * exactly as a generated one (the software vault: encrypted at rest, owner-only file), and the caller's copy is
 * theirs to destroy. A vault whose keys never leave hardware does not implement this: its keys are imported with
 * the token's own tools and referenced by URI.
 */
public interface KeyImporter {

    /**
     * Stores {@code key} under a new reference derived from {@code label}, after checking by signing and verifying
     * that it is the private half of {@code publicKey} (the certificate's), so a mismatched pair never lands.
     */
    KeyHandle importKey(String label, PrivateKey key, PublicKey publicKey);
}
