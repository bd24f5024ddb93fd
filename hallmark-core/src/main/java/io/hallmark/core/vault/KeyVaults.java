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

    private final Map<String, KeyVault> byScheme = new LinkedHashMap<>();
    private final Map<String, KeyHandle> open = new ConcurrentHashMap<>();
    private final String defaultScheme;

    public KeyVaults(KeyVault defaultVault, KeyVault... others) {
        this.defaultScheme = defaultVault.scheme();
        byScheme.put(defaultVault.scheme(), defaultVault);
        for (KeyVault vault : others) {
            byScheme.put(vault.scheme(), vault);
        }
    }

    public KeyHandle generate(String scheme, String label, KeyAlgorithm algorithm) {
        return vault(scheme == null ? defaultScheme : scheme).generate(label, algorithm);
    }

    public KeyHandle open(String ref) {
        return open.computeIfAbsent(ref, r -> vault(schemeOf(r)).open(r));
    }

    private KeyVault vault(String scheme) {
        KeyVault vault = byScheme.get(scheme);
        if (vault == null) {
            throw HallmarkException.badInput("no key vault for scheme '" + scheme + "' (configured: " + String.join(", ", byScheme.keySet()) + ")");
        }
        return vault;
    }

    static String schemeOf(String ref) {
        int colon = ref.indexOf(':');
        if (colon <= 0) {
            throw HallmarkException.badInput("malformed key reference '" + ref + "'");
        }
        return ref.substring(0, colon);
    }
}
