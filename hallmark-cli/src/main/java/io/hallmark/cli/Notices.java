package io.hallmark.cli;

import io.hallmark.core.publication.Publication;
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

    /**
     * A loopback base URL goes into every certificate issued, where it points every relying party at itself; an
     * LDevID is renewed under a corrected setting, a never-expiring IDevID would keep it (and is refused). Said
     * wherever the setting is made or relied on: init, quickstart, publication.
     */
    static void publication(Publication p) {
        if (p.loopback()) {
            System.err.println("WARNING: the publication base URL " + p.baseUrl() + " names this machine only, and every certificate issued carries it "
                    + "as its CRL and OCSP location" + (Boolean.TRUE.equals(p.allowLoopbackUrls()) ? " (never-expiring ones too: loopback URLs are allowed)."
                    : " (never-expiring IDevIDs are refused)."));
            System.err.println("  Set the name devices reach: hallmark publication --base-url http://NAME" + port(p.baseUrl())
                    + "  (or quickstart --hostname NAME)");
        }
    }

    private static String port(String url) {
        var m = java.util.regex.Pattern.compile("^https?://(\\[[^]]*]|[^/:]*)(:\\d+)?").matcher(url);
        return m.find() && m.group(2) != null ? m.group(2) : "";
    }
}
