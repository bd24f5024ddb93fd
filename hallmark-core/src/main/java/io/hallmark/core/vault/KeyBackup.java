package io.hallmark.core.vault;

import io.hallmark.core.crypto.KeyAlgorithm;

import java.security.PublicKey;

/**
 * A vault that can make a key together with its backup, for a root key ceremony: the key's PKCS#8 encoding
 * encrypted with AES-256-GCM under a key the caller chose (and splits among share holders). It is the software
 * equivalent of a token's C_WrapKey, offered only at birth: a key already in the vault has no way out, so the
 * backup exists only if the ceremony made it. A vault whose keys cannot leave it (a PKCS#11 token, keys
 * non-extractable) does not implement this; its backup is the token vendor's.
 */
public interface KeyBackup {

    /** AES-256-GCM: a 96-bit nonce, then the ciphertext with its 128-bit tag. */
    int NONCE_BYTES = 12;
    int KEY_BYTES = 32;

    /**
     * @param handle    signs with the new key, which the vault keeps as it keeps any other
     * @param encrypted the nonce, then the PKCS#8 key encrypted and authenticated under the backup key
     */
    record BackedUpKey(KeyHandle handle, byte[] encrypted) {
    }

    /**
     * Generates a key in the vault and encrypts it under {@code backupKey} (32 bytes), binding {@code associatedData}
     * (the ceremony's identity) into the tag: the backup opens only for the ceremony it was made in.
     */
    BackedUpKey generateWithBackup(String label, KeyAlgorithm algorithm, byte[] backupKey, byte[] associatedData);

    /**
     * Whether {@code encrypted} opens under {@code backupKey} and holds the private half of {@code publicKey}; the key
     * read back is dropped, nothing is stored. The ceremony checks its backup this way before the shares leave the room.
     */
    boolean opens(byte[] encrypted, byte[] backupKey, byte[] associatedData, PublicKey publicKey);

    /**
     * Decrypts a backup and keeps the key in the vault, after checking that it is the private half of {@code publicKey}
     * (the certificate's): a wrong key or a damaged backup stores nothing.
     */
    KeyHandle restore(String label, byte[] encrypted, byte[] backupKey, byte[] associatedData, PublicKey publicKey);
}
