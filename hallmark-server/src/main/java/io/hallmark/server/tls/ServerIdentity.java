package io.hallmark.server.tls;

import io.hallmark.core.crypto.Serials;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A TLS server identity: a private key and the certificate chain sent with it, leaf first.
 *
 * @param origin where it came from, for log lines ("issued", "kept from DIR", "FILE")
 */
public record ServerIdentity(PrivateKey key, List<X509Certificate> chain, String origin) {

    public ServerIdentity {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) throw new IllegalArgumentException("a server identity needs its certificate");
    }

    public X509Certificate leaf() {
        return chain.getFirst();
    }

    /** Lowercase hex, as Hallmark names serials everywhere. */
    public String serial() {
        return Serials.hex(leaf().getSerialNumber());
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** One line for the log: serial, subject and validity. */
    public String describe() {
        return "serial " + serial() + " (" + leaf().getSubjectX500Principal().getName() + ", " + origin + ", valid until " + notAfter() + ")";
    }
}
