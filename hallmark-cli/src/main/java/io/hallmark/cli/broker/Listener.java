package io.hallmark.cli.broker;

import java.nio.file.Path;

/**
 * Where the broker listens and what it presents, as written into its configuration.
 *
 * @param dir        the export directory, absolute: the configuration names ca.pem and crl.pem there
 * @param host       address to bind
 * @param port       port to listen on
 * @param serverCert the broker's own certificate chain (PEM), or null for a placeholder to edit
 * @param serverKey  its private key (PEM), or null for a placeholder
 * @param backend    nginx only: where requests are passed on to
 */
public record Listener(Path dir, String host, int port, Path serverCert, Path serverKey, String backend) {

    public Path caFile() {
        return dir.resolve(BrokerExport.CA_FILE);
    }

    public Path crlFile() {
        return dir.resolve(BrokerExport.CRL_FILE);
    }

    /** The certificate path to write: the one given, else where the broker's own certificate usually lives. */
    String certOr(String placeholder) {
        return serverCert == null ? placeholder : serverCert.toAbsolutePath().toString();
    }

    String keyOr(String placeholder) {
        return serverKey == null ? placeholder : serverKey.toAbsolutePath().toString();
    }
}
