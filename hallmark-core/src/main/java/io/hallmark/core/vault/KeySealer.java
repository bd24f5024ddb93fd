package io.hallmark.core.vault;

import io.hallmark.core.crypto.KeyAlgorithm;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * A vault that can seal keys it makes for keeping elsewhere ({@link SealedKey}) and open them again. The sealed
 * form is as safe as the vault's own files: the software vault uses the same encryption and passphrase.
 */
public interface KeySealer {

    /** The scheme of sealed keys' references ({@code db:ldevid-ca-ocsp-1a2b3c4d}): they live in the database. */
    String SCHEME = "db";

    SealedKey generateSealed(String label, KeyAlgorithm algorithm);

    /**
     * Opens a sealed key, checking that it is the private half of {@code publicKey} (taken from the certificate
     * that vouches for it), so a damaged or swapped row cannot sign.
     */
    KeyHandle openSealed(String ref, String sealed, PublicKey publicKey);

    /**
     * Seals a private key the caller made and must hold itself: the server's TLS key, which the TLS stack signs
     * with directly, so no {@link KeyHandle} can stand in for it. The sealed form is the one {@link #generateSealed}
     * gives. CA keys never come this way: they are made inside the vault and stay there.
     */
    String seal(PrivateKey key);

    /** Opens what {@link #seal} made, checking that it is the private half of {@code publicKey}. */
    PrivateKey unseal(String sealed, PublicKey publicKey);
}
