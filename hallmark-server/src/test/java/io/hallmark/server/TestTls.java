package io.hallmark.server;

import io.hallmark.core.crypto.Pem;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;

/** Client-side TLS material from PEM files, for tests that play the device or the operator. */
final class TestTls {

    private TestTls() {
    }

    static KeyManager[] keyManagers(Path certPem, Path keyPem) throws Exception {
        return keyManagers(Pem.x509(Pem.derOf(Files.readAllBytes(certPem), "CERTIFICATE")), privateKey(keyPem));
    }

    static KeyManager[] keyManagers(X509Certificate cert, PrivateKey key) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", key, "x".toCharArray(), new X509Certificate[]{cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "x".toCharArray());
        return kmf.getKeyManagers();
    }

    static PrivateKey privateKey(Path keyPem) throws Exception {
        byte[] der = Pem.derOf(Files.readAllBytes(keyPem), "PRIVATE KEY");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    static X509Certificate certificate(Path pem) throws Exception {
        return Pem.x509(Pem.derOf(Files.readAllBytes(pem), "CERTIFICATE"));
    }
}
