package io.hallmark.server.tls;

import java.nio.file.Path;

/** Where the HTTPS listener's certificate and key come from. */
public sealed interface TlsSource {

    /**
     * Hallmark's own: a certificate from {@code clients-ca} (profile {@code server}) for the server's names, renewed
     * while serving once two thirds of its life have passed ({@link BuiltInIdentity}).
     *
     * @param dir where the key (sealed by the key vault) and certificate are kept, so that the next start reuses them;
     *            null keeps them in memory only, and every start then issues a new certificate
     */
    record BuiltIn(Path dir) implements TlsSource {
    }

    /**
     * An operator's certificate and key, PEM files watched and reloaded when they change ({@link SuppliedIdentity}).
     *
     * @param certificate the certificate, followed by its chain (leaf first)
     * @param key         its private key, unencrypted PKCS#8 or traditional EC/RSA PEM
     */
    record Supplied(Path certificate, Path key) implements TlsSource {
    }
}
