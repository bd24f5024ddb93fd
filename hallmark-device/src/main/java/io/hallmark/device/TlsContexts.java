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
            context.init(client == null ? null : new KeyManager[]{new FixedKeyManager(client)}, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * A device has exactly one identity to show. The JDK's default key manager would pick a key by the
     * issuer names the server lists and silently send no certificate when none match; this one always
     * answers with the credential, so a mismatch surfaces as the server's readable refusal instead.
     */
    private static final class FixedKeyManager extends X509ExtendedKeyManager {
        private final DeviceCredential credential;

        FixedKeyManager(DeviceCredential credential) {
            this.credential = credential;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[]{ALIAS};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? credential.chain().toArray(X509Certificate[]::new) : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? credential.privateKey() : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
