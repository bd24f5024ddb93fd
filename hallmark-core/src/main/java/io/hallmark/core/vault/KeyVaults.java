package io.hallmark.core.vault;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The vaults a Hallmark instance knows, chosen by the scheme of a key reference. Opened handles are
 * cached: opening a software key costs a passphrase derivation, and an HSM key a session login.
 */
public final class KeyVaults {

    /** The scheme of {@link #noKey}. */
    public static final String NO_KEY = "none:";

    private final Map<String, KeyVault> byScheme = new LinkedHashMap<>();
    private final Map<String, KeyHandle> open = new ConcurrentHashMap<>();
    private final String defaultScheme;
    private volatile SigningTimer timer = SigningTimer.NONE;

    public KeyVaults(KeyVault defaultVault, KeyVault... others) {
        this.defaultScheme = defaultVault.scheme();
        byScheme.put(defaultVault.scheme(), defaultVault);
        for (KeyVault vault : others) {
            byScheme.put(vault.scheme(), vault);
        }
    }

    /** Why the vault of {@code scheme} (null: the default) cannot make an {@code algorithm} key, or null ({@link KeyVault#refusal}). */
    public String refusal(String scheme, KeyAlgorithm algorithm) {
        return vault(scheme == null ? defaultScheme : scheme).refusal(algorithm);
    }

    public KeyHandle generate(String scheme, String label, KeyAlgorithm algorithm) {
        return vault(scheme == null ? defaultScheme : scheme).generate(label, algorithm);
    }

    public KeyHandle open(String ref) {
        if (ref.startsWith(NO_KEY)) {
            throw HallmarkException.badInput("CA '" + ref.substring(NO_KEY.length()) + "' was imported as a certificate only: its key is not"
                    + " in Hallmark, so Hallmark cannot sign for it (no certificates, CRLs or OCSP answers from it)");
        }
        KeyHandle handle = open.computeIfAbsent(ref, r -> vault(schemeOf(r)).open(r));
        SigningTimer t = timer;
        return t == SigningTimer.NONE ? handle : new TimedKeyHandle(handle, schemeOf(ref), t);
    }

    /** Times every signature of the keys opened from now on (a serving node's metrics). */
    public void timeSigning(SigningTimer timer) {
        this.timer = timer;
    }

    /**
     * The key reference of a CA whose key Hallmark does not hold (imported as a certificate only, say from a cloud
     * platform): no vault has this scheme, and {@link #open} refuses it with a sentence saying why.
     */
    public static String noKey(String caName) {
        return NO_KEY + caName;
    }

    /** A new key sealed by the first vault that seals keys ({@link KeySealer}), for the caller to keep in the database. */
    public SealedKey generateSealed(String label, KeyAlgorithm algorithm) {
        return sealer().generateSealed(label, algorithm);
    }

    /**
     * Opens a key {@link #generateSealed} made. Not cached here: the caller keeps the handle as long as the key is
     * current, so a retired key leaves memory with the caller's reference to it.
     */
    public KeyHandle openSealed(String ref, String sealed, java.security.PublicKey publicKey) {
        KeyHandle handle = sealer().openSealed(ref, sealed, publicKey);
        SigningTimer t = timer;
        return t == SigningTimer.NONE ? handle : new TimedKeyHandle(handle, schemeOf(ref), t);
    }

    /** Seals a key the caller holds itself (the server's TLS key), for keeping in a file ({@link KeySealer#seal}). */
    public String seal(java.security.PrivateKey key) {
        return sealer().seal(key);
    }

    /** Opens what {@link #seal} made, checked against {@code publicKey}. */
    public java.security.PrivateKey unseal(String sealed, java.security.PublicKey publicKey) {
        return sealer().unseal(sealed, publicKey);
    }

    /**
     * The vault of {@code scheme} (the default one for null) as a {@link KeyBackup}, or BAD_INPUT saying why there is
     * none: a vault whose keys never leave it (an HSM) keeps its backups the token vendor's way.
     */
    public KeyBackup backup(String scheme) {
        KeyVault vault = vault(scheme == null ? defaultScheme : scheme);
        if (vault instanceof KeyBackup backup) return backup;
        throw HallmarkException.badInput("keys of the '" + vault.scheme() + "' vault cannot leave it, so no backup split into shares can be made"
                + " or restored here: back the token up the way its vendor documents (see docs/key-custody.md)");
    }

    /**
     * Whether keys of {@code scheme}'s vault stay in it, so a key that works beside one of them (an OCSP responder's
     * beside its CA's) is made there too rather than sealed into the database.
     */
    public boolean keepsKeysInside(String scheme) {
        return !(vault(scheme) instanceof KeyBackup);
    }

    /** Deletes a retired key where its vault keeps keys as objects (a token); elsewhere nothing is left to delete. */
    public void delete(String ref) {
        open.remove(ref);
        if (vault(schemeOf(ref)) instanceof KeyRemover remover) remover.delete(ref);
    }

    /** Whether a vault of {@code scheme} is configured ({@code pkcs11} only where a token was set up). */
    public boolean has(String scheme) {
        return byScheme.containsKey(scheme);
    }

    /** Takes in a key made elsewhere, into the first vault that imports keys ({@link KeyImporter}). */
    public KeyHandle importKey(String label, java.security.PrivateKey key, java.security.PublicKey publicKey) {
        for (KeyVault vault : byScheme.values()) {
            if (vault instanceof KeyImporter importer) return importer.importKey(label, key, publicKey);
        }
        throw HallmarkException.badInput("none of the key vaults (" + String.join(", ", byScheme.keySet())
                + ") imports key files; import the key onto the token with its own tools and pass its pkcs11: URI");
    }

    private KeySealer sealer() {
        for (KeyVault vault : byScheme.values()) {
            if (vault instanceof KeySealer sealer) return sealer;
        }
        throw HallmarkException.badInput("none of the key vaults (" + String.join(", ", byScheme.keySet())
                + ") can seal keys for the database; OCSP responder keys need the software vault's passphrase");
    }

    private KeyVault vault(String scheme) {
        KeyVault vault = byScheme.get(scheme);
        if (vault == null) {
            throw HallmarkException.badInput("no key vault for scheme '" + scheme + "' (configured: " + String.join(", ", byScheme.keySet()) + ")"
                    + (scheme.equals(Pkcs11KeyVault.SCHEME) ? "; a token is configured by 'hallmark init --vault pkcs11 --pkcs11-library PATH "
                    + "--pkcs11-token LABEL --pkcs11-pin-file FILE'" : ""));
        }
        return vault;
    }

    public static String schemeOf(String ref) {
        int colon = ref.indexOf(':');
        if (colon <= 0) {
            throw HallmarkException.badInput("malformed key reference '" + ref + "'");
        }
        return ref.substring(0, colon);
    }
}
