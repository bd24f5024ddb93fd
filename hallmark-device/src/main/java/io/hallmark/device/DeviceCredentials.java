package io.hallmark.device;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Loads a {@link DeviceCredential} from where devices keep them: PEM files, a PKCS#12 bundle, or a PKCS#11 token. */
public final class DeviceCredentials {

    private static final java.util.concurrent.atomic.AtomicInteger PKCS11_PROVIDERS = new java.util.concurrent.atomic.AtomicInteger();

    private DeviceCredentials() {
    }

    /** A certificate file (leaf first, intermediates may follow) and an unencrypted PKCS#8 or SEC1 PEM key. */
    public static DeviceCredential fromPem(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certificateFile);
        PrivateKey key = privateKey(keyFile);
        checkPair(key, chain.getFirst(), certificateFile + " and " + keyFile);
        return new DeviceCredential(key, chain);
    }

    /** The first key entry of a PKCS#12 file (as {@code openssl pkcs12 -export} makes), with its chain. */
    public static DeviceCredential fromPkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) continue;
                Key key = store.getKey(alias, password);
                Certificate[] chain = store.getCertificateChain(alias);
                if (key instanceof PrivateKey pk && chain != null && chain.length > 0) {
                    List<X509Certificate> x509 = Arrays.stream(chain).map(X509Certificate.class::cast).toList();
                    checkPair(pk, x509.getFirst(), file.toString());
                    return new DeviceCredential(pk, x509);
                }
            }
            throw HallmarkException.badInput(file + " holds no private key with a certificate");
        } catch (NoSuchFileException e) {
            throw HallmarkException.notFound("no such file: " + file);
        } catch (IOException e) {
            // KeyStore reports a wrong password as an IOException whose cause is UnrecoverableKeyException.
            throw HallmarkException.badInput("cannot open PKCS#12 " + file + ": wrong password or not PKCS#12 (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw HallmarkException.badInput("cannot read PKCS#12 " + file + ": " + e.getMessage());
        }
    }

    /**
     * A private key on a PKCS#11 token (a secure element, an HSM, SoftHSM2) with the certificate stored beside it
     * under the same CKA_ID, through the JDK's SunPKCS11 provider. The key never leaves the token: TLS signs the
     * handshake through the provider. The provider is installed (under a name of its own) because JSSE looks up
     * its signature service among the installed providers only.
     *
     * @param keyLabel the entry's alias (SunPKCS11 names an entry after its certificate's CKA_LABEL); null when
     *                 the token holds exactly one key with a certificate
     */
    public static DeviceCredential fromPkcs11(Path library, String tokenLabel, char[] pin, String keyLabel) {
        if (!Files.isRegularFile(library)) {
            throw HallmarkException.notFound("PKCS#11 library " + library + " does not exist (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so)");
        }
        long slot = io.hallmark.core.vault.Pkcs11Slots.slotOf(library.toAbsolutePath(), tokenLabel, false);
        String name = "hallmark-device-" + PKCS11_PROVIDERS.incrementAndGet();
        java.security.Provider provider;
        try {
            java.security.Provider base = java.security.Security.getProvider("SunPKCS11");
            if (base == null) throw HallmarkException.unavailable("this Java runtime has no SunPKCS11 provider", null);
            io.hallmark.core.vault.Pkcs11Slots.handedOver(library.toAbsolutePath());
            provider = base.configure("--name = " + name + "\nlibrary = " + library.toAbsolutePath() + "\nslot = " + slot + "\n");
        } catch (java.security.ProviderException e) {
            throw HallmarkException.unavailable("cannot open PKCS#11 token '" + tokenLabel + "' in " + library + ": " + e.getMessage(), e);
        }
        java.security.Security.addProvider(provider);
        try {
            KeyStore store = KeyStore.getInstance("PKCS11", provider);
            store.load(null, pin);
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) keys.add(alias);
            }
            String alias;
            if (keyLabel != null) {
                if (!keys.contains(keyLabel)) {
                    throw HallmarkException.notFound("PKCS#11 token '" + tokenLabel + "' has no key '" + keyLabel + "' with a certificate (keys with certificates: "
                            + (keys.isEmpty() ? "none" : String.join(", ", keys)) + ")");
                }
                alias = keyLabel;
            } else if (keys.size() == 1) {
                alias = keys.getFirst();
            } else {
                throw HallmarkException.badInput("PKCS#11 token '" + tokenLabel + "' holds " + keys.size() + " keys with certificates"
                        + (keys.isEmpty() ? " (the key's certificate must be on the token with the same CKA_ID)" : ": name one with key-label (" + String.join(", ", keys) + ")"));
            }
            Key key = store.getKey(alias, null);
            Certificate[] chain = store.getCertificateChain(alias);
            if (!(key instanceof PrivateKey pk) || chain == null || chain.length == 0) {
                throw HallmarkException.notFound("PKCS#11 entry '" + alias + "' on token '" + tokenLabel + "' is not a private key with its certificate");
            }
            List<X509Certificate> x509 = Arrays.stream(chain).map(X509Certificate.class::cast).toList();
            checkPair(pk, x509.getFirst(), "PKCS#11 token '" + tokenLabel + "' entry '" + alias + "'");
            return new DeviceCredential(pk, x509);
        } catch (IOException e) {
            throw HallmarkException.unauthenticated("cannot log in to PKCS#11 token '" + tokenLabel + "': wrong PIN? (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw HallmarkException.unavailable("cannot read PKCS#11 token '" + tokenLabel + "': " + e.getMessage(), e);
        }
    }

    /** All certificates in a PEM (or single DER) file, in file order. */
    public static List<X509Certificate> certificates(Path file) {
        byte[] bytes = read(file);
        List<X509Certificate> out = new ArrayList<>();
        for (byte[] der : Pem.blocks(bytes, "CERTIFICATE")) out.add(Pem.x509(der));
        if (out.isEmpty()) out.add(Pem.x509(Pem.derOf(bytes, "CERTIFICATE")));
        return out;
    }

    public static PrivateKey privateKey(Path file) {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object object = parser.readObject();
            if (object instanceof PrivateKeyInfo info) return toJca(info, file);
            if (object instanceof PEMKeyPair pair) return toJca(pair.getPrivateKeyInfo(), file);
            if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
                throw HallmarkException.badInput(file + " is an encrypted key; give the device key unencrypted (mode 0600) or as PKCS#12 with --p12-password-file");
            }
            throw HallmarkException.badInput(file + " holds no PEM private key");
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot read the key in " + file + ": " + e.getMessage());
        }
    }

    /**
     * Through the JDK's algorithm names. BouncyCastle's converter would ask for "ECDSA", which BC (when it is
     * installed as a provider) answers with a key whose algorithm is "ECDSA": JSSE then finds no EC key for
     * TLS and silently sends no client certificate.
     */
    private static PrivateKey toJca(PrivateKeyInfo info, Path file) {
        var oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm;
        if (oid.equals(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey)) algorithm = "EC";
        else if (oid.equals(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption)) algorithm = "RSA";
        else if (oid.equals(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519)) algorithm = "Ed25519";
        else if (io.hallmark.core.crypto.KeyAlgorithm.ofOid(oid) != null) algorithm = io.hallmark.core.crypto.KeyAlgorithm.ofOid(oid).jcaName();
        else throw HallmarkException.badInput(file + ": unsupported key algorithm " + oid + " (EC, RSA, Ed25519, ML-DSA, SLH-DSA and composite ML-DSA are)");
        try {
            var postQuantum = io.hallmark.core.crypto.KeyAlgorithm.ofOid(oid);
            if (postQuantum != null) { // the provider that signs it (ML-DSA: the JDK's own)
                return postQuantum.keyFactory().generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            }
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw HallmarkException.badInput("cannot read the " + algorithm + " key in " + file + ": " + e.getMessage());
        }
    }

    /** A key that does not match its certificate would fail later as an opaque TLS alert; say so now. */
    private static void checkPair(PrivateKey key, X509Certificate cert, String where) {
        try {
            var signer = java.security.Signature.getInstance(switch (key.getAlgorithm()) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                default -> key.getAlgorithm(); // Ed25519, Ed448
            });
            byte[] probe = "hallmark key check".getBytes(StandardCharsets.US_ASCII);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            signer.initVerify(cert.getPublicKey());
            signer.update(probe);
            if (!signer.verify(signature)) {
                throw HallmarkException.badInput(where + ": the private key does not belong to the certificate");
            }
        } catch (GeneralSecurityException e) {
            throw HallmarkException.badInput(where + ": the private key does not belong to the certificate (" + e.getMessage() + ")");
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw HallmarkException.notFound("no such file: " + file);
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot read " + file + ": " + e.getMessage());
        }
    }
}
