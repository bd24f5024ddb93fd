package io.hallmark.cli;

import io.hallmark.core.vault.Passphrase;

/** Things a person must not miss. */
final class Notices {

    private Notices() {
    }

    static void passphrase(Passphrase p) {
        if (p != null && p.generated()) {
            System.err.println("""
                    ************************************************************************
                    WARNING: generated a vault passphrase and stored it in
                      %s
                    It encrypts the CA private keys. Anyone with this file and the keys
                    directory can sign as your CAs. For production, keep the passphrase
                    elsewhere (HALLMARK_PASSPHRASE from a secret store) or use an HSM, and
                    back it up: without it the CA keys cannot be used.
                    ************************************************************************""".formatted(p.source()));
        }
    }
}
