package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.Pkcs11KeyVault;
import io.hallmark.core.vault.Pkcs11Settings;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.store.JdbcStore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * How the command line puts an installation together from a data directory: the store (SQLite in the
 * directory, or the database {@code db} names) and the software vault in {@link #keys}. Every command
 * opens its installation through here, and so do the benchmarks for their throwaway ones, so the layout
 * of docs/architecture.md ("Data directory") is written down in one place.
 */
public final class Installation {

    private Installation() {
    }

    /** The vault's directory: encrypted PKCS#8 CA keys ({@code *.key.pem}) and their public keys. */
    public static Path keys(Path data) {
        return data.resolve("keys");
    }

    /**
     * @param db a JDBC URL, or null for SQLite in {@code data}
     * @param passphrase asked for when a key is first generated or opened, not before
     */
    public static Hallmark open(Path data, String db, Supplier<Passphrase> passphrase) {
        SoftwareKeyVault software = new SoftwareKeyVault(keys(data), passphrase);
        // An installation made with 'init --vault pkcs11' makes its new CA keys on the token; the software vault stays
        // for the keys sealed in the database (OCSP responders) and CAs a hierarchy file puts in 'soft'.
        KeyVaults vaults = Pkcs11Settings.read(data)
                .map(settings -> new KeyVaults(new Pkcs11KeyVault(settings), software))
                .orElseGet(() -> new KeyVaults(software));
        return new Hallmark(JdbcStore.open(data, db), vaults, Clock.systemUTC());
    }
}
