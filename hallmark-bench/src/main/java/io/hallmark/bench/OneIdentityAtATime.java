package io.hallmark.bench;

import io.hallmark.device.DeviceCredential;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The client key manager of one bench thread: it shows the IDevID of the enrollment under way, and counts how often
 * the TLS stack asked for the private key. JSSE asks for it only to sign a CertificateVerify, i.e. in a full
 * handshake in which the server requested a client certificate; a resumed session never does. So
 * {@link #signatures()} equal to the number of enrollments proves that every one was a full mutual-TLS handshake.
 */
final class OneIdentityAtATime extends X509ExtendedKeyManager {

    private static final String ALIAS = "device";
    private DeviceCredential current; // one bench thread uses this manager, and sets it before each handshake
    private long signatures;

    void use(DeviceCredential credential) {
        current = credential;
    }

    long signatures() {
        return signatures;
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
        return ALIAS.equals(alias) ? current.chain().toArray(X509Certificate[]::new) : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        if (!ALIAS.equals(alias)) return null;
        signatures++;
        return current.privateKey();
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
