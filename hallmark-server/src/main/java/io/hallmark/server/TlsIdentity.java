package io.hallmark.server;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.store.CertificateAuthority;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's own TLS identity: a key made in memory at start-up (never written anywhere) and a
 * certificate for it from {@code clients-ca} with the {@code server} profile, so that clients trust the
 * server with Hallmark's root alone. Each node and each start gets its own, recorded like any other.
 */
final class TlsIdentity {

    static final String CA = "clients-ca";

    private TlsIdentity() {
    }

    static SSLContext create(Hallmark hallmark, List<String> hostnames) throws Exception {
        KeyPair key = KeyAlgorithm.EC_P256.generate();
        List<GeneralName> names = new ArrayList<>();
        for (String host : hostnames) {
            boolean ip = host.matches("[0-9.]+") || host.contains(":");
            names.add(ip ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(host).getHostAddress())
                    : new GeneralName(GeneralName.dNSName, host));
        }
        byte[] csr = Csrs.create(key, KeyAlgorithm.EC_P256, new X500Name("CN=" + hostnames.getFirst() + ",O=Hallmark server"));
        IssuedCertificate issued = hallmark.issuer().issue(new IssuanceRequest(CA, "server", csr, null, null, "server:" + hostnames.getFirst(), names));

        List<X509Certificate> chain = new ArrayList<>();
        chain.add(io.hallmark.core.crypto.Pem.x509(issued.certificate().der()));
        for (CertificateAuthority ca : issued.chain()) chain.add(ca.x509());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] pw = "in-memory".toCharArray();
        store.setKeyEntry("server", key.getPrivate(), pw, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, pw);

        List<X509Certificate> acceptedIssuers = hallmark.cas().list().stream().map(CertificateAuthority::x509).toList();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[]{new AnyClientCertificate(acceptedIssuers)}, null);
        return context;
    }

    /**
     * Accepts any client certificate at the TLS layer: the handshake still proves the client holds its
     * key, and each endpoint then decides whether that certificate is trusted for what it asks, so a
     * refusal becomes a readable HTTP 403 instead of a TLS alert. Advertises Hallmark's CAs as hints.
     */
    private static final class AnyClientCertificate extends X509ExtendedTrustManager {
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
}
