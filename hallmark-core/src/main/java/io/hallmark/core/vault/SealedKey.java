package io.hallmark.core.vault;

/**
 * A key made for the caller to keep outside the vault, sealed so that only the vault's secret opens it: OCSP
 * responder keys, kept in the database so that every node opens them whatever keys directory it has.
 *
 * @param handle signs with the key now; its reference has the scheme {@link KeySealer#SCHEME}
 * @param sealed the private key as the vault seals it (the software vault: PBES2-encrypted PKCS#8, PEM)
 */
public record SealedKey(KeyHandle handle, String sealed) {
}
