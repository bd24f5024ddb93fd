package io.hallmark.server.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Accepts any client certificate at the TLS layer: the handshake still proves the client holds its
 * key, and each endpoint then decides whether that certificate is trusted for what it asks, so a
 * refusal becomes a readable HTTP 403 instead of a TLS alert. Advertises Hallmark's CAs as hints.
 */
final class AnyClientCertificate extends X509ExtendedTrustManager {
    private final X509Certificate[] issuers;

    AnyClientCertificate(List<X509Certificate> issuers) {
        this.issuers = issuers.toArray(X509Certificate[]::new);
    }

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {
        throw new UnsupportedOperationException("server side only");
    }
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        throw new UnsupportedOperationException("server side only");
    }
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        throw new UnsupportedOperationException("server side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return issuers.clone();
    }
}
