package io.hallmark.core.vault;

import io.hallmark.core.crypto.KeyAlgorithm;

/**
 * Where CA private keys live. Implementations: {@link SoftwareKeyVault} (encrypted PKCS#8 files); a
 * PKCS#11 vault (HSM, non-extractable keys) plugs in under its own {@link #scheme()}.
 */
public interface KeyVault {

    /** The prefix of this vault's key references, e.g. {@code soft}. */
    String scheme();

    /**
     * Why this vault cannot make an {@code algorithm} key (one sentence, the remedy included), or null when it can. Asked
     * before a hierarchy is created, so that a file with one CA the vault cannot hold creates none of its CAs.
     */
    default String refusal(KeyAlgorithm algorithm) {
        return null;
    }

    /** Generates a key inside the vault; {@code label} is a human hint, the returned ref is unique. */
    KeyHandle generate(String label, KeyAlgorithm algorithm);

    /** Opens a key by the reference {@link #generate} returned. */
    KeyHandle open(String ref);
}
