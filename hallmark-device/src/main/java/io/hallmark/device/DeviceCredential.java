package io.hallmark.device;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a device presents as its TLS client certificate: a private key and its certificate chain, leaf first.
 * <p>
 * The key is any JCA {@link PrivateKey}, so it need not be extractable: a key that lives in a secure element
 * or HSM arrives here as the provider's handle (for PKCS#11, an entry of a {@code SunPKCS11} {@code KeyStore})
 * and TLS signs through that provider. Adding PKCS#11 means adding a loader next to those in
 * {@link DeviceCredentials}; nothing downstream changes.
 */
public record DeviceCredential(PrivateKey privateKey, List<X509Certificate> chain) {

    public DeviceCredential {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a credential needs at least its own certificate");
        }
    }

    public X509Certificate certificate() {
        return chain.getFirst();
    }
}
