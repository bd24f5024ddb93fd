package io.hallmark.device;

import io.hallmark.core.error.HallmarkException;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/** TLS for the agent: trust only the given anchors for the server, present one fixed client credential. */
public final class TlsContexts {

    private static final String ALIAS = "device";

    private TlsContexts() {
    }

    /**
     * A fresh context, so also a fresh session cache: callers that want every request to do a full
     * handshake (`hallmark bench est`: one EstClient per enrollment) make one per request.
     *
     * @param client null to connect without a client certificate
     */
    public static SSLContext create(List<X509Certificate> serverAnchors, DeviceCredential client) {
        return create(serverAnchors, client == null ? null : new OneCredentialKeyManager(client));
    }

    /** A context that presents what {@code client} shows (null: no client certificate), trusting only {@code serverAnchors}. */
    public static SSLContext create(List<X509Certificate> serverAnchors, OneCredentialKeyManager client) {
        if (serverAnchors.isEmpty()) {
            throw HallmarkException.badInput("no CA certificate to check the server against");
        }
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < serverAnchors.size(); i++) trust.setCertificateEntry("anchor-" + i, serverAnchors.get(i));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(client == null ? null : new KeyManager[]{client}, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
