package io.hallmark.server.tls;

import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTPS listener's TLS: versions 1.3 and 1.2, and only AEAD cipher suites with forward secrecy, as in
 * Mozilla's "intermediate" server profile (without its DHE suites). Jetty's defaults drop only the SHA-1,
 * RSA-key-exchange and export suites, which left TLS 1.2 offering CBC with HMAC-SHA256/384
 * (ECDHE-ECDSA-AES128-SHA256, -AES256-SHA384): MAC-then-encrypt, the construction behind Lucky Thirteen.
 */
final class TlsSettings {

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** In order of preference; TLS 1.3 has only AEAD suites. The RSA ones matter only with an RSA server key. */
    static final String[] CIPHER_SUITES = {
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    };

    private TlsSettings() {
    }

    /**
     * Client certificates are asked for, not required: each endpoint decides what a certificate is trusted for. The
     * identity (an SSLContext) is set later, once the listener has its port ({@link ServerTls#load}).
     */
    static SslContextFactory.Server server() {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setIncludeProtocols(PROTOCOLS);
        tls.setIncludeCipherSuites(CIPHER_SUITES);
        tls.setUseCipherSuitesOrder(true);
        tls.setWantClientAuth(true);
        tls.setSniRequired(false);
        return tls;
    }
}
