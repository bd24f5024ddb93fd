package io.hallmark.core.crypto;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;

/**
 * Reads a private key as OpenSSL and cloud CAs hand them out: PKCS#8 ({@code PRIVATE KEY}), encrypted PKCS#8
 * ({@code ENCRYPTED PRIVATE KEY}), the traditional {@code EC/RSA PRIVATE KEY} forms (also with OpenSSL's
 * {@code Proc-Type: 4,ENCRYPTED} header), or DER PKCS#8. Used only to take a key over into a vault.
 */
public final class PrivateKeyFiles {

    private PrivateKeyFiles() {
    }

    /**
     * @param passphrase null when none was given: an encrypted key is then refused, naming the option to give it
     * @param source     the file's name, for messages
     */
    public static PrivateKey read(byte[] bytes, char[] passphrase, String source) {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN")) {
            try {
                return new JcaPEMKeyConverter().getPrivateKey(PrivateKeyInfo.getInstance(bytes));
            } catch (Exception e) {
                throw HallmarkException.badInput(source + " is neither a PEM private key nor a DER PKCS#8 one");
            }
        }
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
                switch (o) {
                    case PrivateKeyInfo info -> { return converter.getPrivateKey(info); }
                    case PEMKeyPair pair -> { return converter.getKeyPair(pair).getPrivate(); }
                    case PKCS8EncryptedPrivateKeyInfo encrypted -> {
                        requirePassphrase(passphrase, source);
                        try {
                            return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                                    new JceOpenSSLPKCS8DecryptorProviderBuilder().build(passphrase)));
                        } catch (Exception e) {
                            throw HallmarkException.badInput("cannot decrypt " + source + ": wrong passphrase or damaged key");
                        }
                    }
                    case PEMEncryptedKeyPair encrypted -> {
                        requirePassphrase(passphrase, source);
                        try {
                            return converter.getKeyPair(encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().build(passphrase))).getPrivate();
                        } catch (Exception e) {
                            throw HallmarkException.badInput("cannot decrypt " + source + ": wrong passphrase or damaged key");
                        }
                    }
                    default -> { } // parameters (EC PARAMETERS) or a certificate beside the key: look further
                }
            }
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot read " + source + " as a private key: " + e.getMessage());
        }
        throw HallmarkException.badInput(source + " holds no private key");
    }

    private static void requirePassphrase(char[] passphrase, String source) {
        if (passphrase == null) {
            throw HallmarkException.badInput(source + " is encrypted: give its passphrase with --key-passphrase-file FILE");
        }
    }
}
