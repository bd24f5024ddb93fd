package io.hallmark.device;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A client key manager with exactly one identity to show. The JDK's default key manager would pick a key by the
 * issuer names the server lists and silently send no certificate when none match; this one always answers with the
 * credential, so a mismatch surfaces as the server's readable refusal instead.
 *
 * <p>The credential may be switched between handshakes ({@link #use}: a load generator playing several devices on one
 * context), and the manager counts how often the TLS stack asked for the private key ({@link #privateKeyRequests}):
 * JSSE asks only to sign a CertificateVerify, i.e. in a full handshake in which the server requested a client
 * certificate, never in a resumed one.
 */
public final class OneCredentialKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "device";

    private volatile DeviceCredential credential;
    private final AtomicLong privateKeyRequests = new AtomicLong();

    public OneCredentialKeyManager(DeviceCredential credential) {
        this.credential = credential;
    }

    /** The credential the next handshakes show. */
    public void use(DeviceCredential next) {
        credential = next;
    }

    /** How often the private key was asked for: one per full mutual-TLS handshake. */
    public long privateKeyRequests() {
        return privateKeyRequests.get();
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
        DeviceCredential c = credential;
        return ALIAS.equals(alias) && c != null ? c.chain().toArray(X509Certificate[]::new) : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        DeviceCredential c = credential;
        if (!ALIAS.equals(alias) || c == null) return null;
        privateKeyRequests.incrementAndGet();
        return c.privateKey();
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
