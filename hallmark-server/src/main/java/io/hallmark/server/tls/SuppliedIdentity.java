package io.hallmark.server.tls;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An operator's certificate and key as PEM files: the certificate file holds the server's certificate and
 * then its chain (what a public CA or certbot's fullchain.pem gives), the key file the unencrypted private key,
 * PKCS#8 ({@code PRIVATE KEY}) or traditional ({@code EC PRIVATE KEY}, {@code RSA PRIVATE KEY}). Every way the
 * pair can be unusable (unreadable, no certificate, no key, an encrypted key, a key of another certificate,
 * expired) is refused with one line naming the file, at start and on every reload alike.
 */
public final class SuppliedIdentity {

    private SuppliedIdentity() {
    }

    public static ServerIdentity read(Path certFile, Path keyFile, Instant now) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        X509Certificate leaf = chain.getFirst();
        if (!matches(key, leaf.getPublicKey())) {
            for (int i = 1; i < chain.size(); i++) {
                if (matches(key, chain.get(i).getPublicKey())) {
                    throw HallmarkException.badInput("the key in " + keyFile + " belongs to certificate " + (i + 1) + " in " + certFile
                            + " (" + subject(chain.get(i)) + "): the server's own certificate must come first, then its chain");
                }
            }
            throw HallmarkException.badInput("the key in " + keyFile + " does not match the certificate in " + certFile + " (" + subject(leaf) + ")");
        }
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw HallmarkException.badInput("the certificate in " + certFile + " (" + subject(leaf) + ") expired at " + leaf.getNotAfter().toInstant());
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw HallmarkException.badInput("the certificate in " + certFile + " (" + subject(leaf) + ") is not valid before " + leaf.getNotBefore().toInstant());
        }
        return new ServerIdentity(key, chain, "from " + certFile);
    }

    private static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : pemObjects(file)) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (java.security.cert.CertificateException e) {
                    throw HallmarkException.badInput(file + " holds a certificate that cannot be read: " + e.getMessage());
                }
            }
        }
        if (chain.isEmpty()) {
            throw HallmarkException.badInput(file + " holds no certificate (a PEM 'CERTIFICATE' block)");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) {
        PrivateKeyInfo info = null;
        for (Object o : pemObjects(file)) {
            PrivateKeyInfo found = switch (o) {
                case PrivateKeyInfo p -> p;
                case PEMKeyPair pair -> pair.getPrivateKeyInfo();
                case PEMEncryptedKeyPair ignored -> throw encrypted(file);
                case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted(file);
                default -> null; // certificates (a combined file), EC PARAMETERS, ...
            };
            if (found != null && info != null) {
                throw HallmarkException.badInput(file + " holds more than one private key");
            }
            if (found != null) info = found;
        }
        if (info == null) {
            throw HallmarkException.badInput(file + " holds no private key (a PEM 'PRIVATE KEY', 'EC PRIVATE KEY' or 'RSA PRIVATE KEY' block)");
        }
        PrivateKey parsed;
        try {
            parsed = new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException e) {
            throw HallmarkException.badInput(file + " holds a private key that cannot be read: " + e.getMessage());
        }
        try {
            // Re-encoded through the JDK's (or ACCP's) own key factory: the converter yields BouncyCastle key objects,
            // which the TLS stack's signatures would have to convert on every handshake.
            String algorithm = parsed.getAlgorithm().equals("ECDSA") ? "EC" : parsed.getAlgorithm();
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(parsed.getEncoded()));
        } catch (GeneralSecurityException e) {
            return parsed; // still usable, only slower
        }
    }

    private static HallmarkException encrypted(Path file) {
        return HallmarkException.badInput(file + " holds an encrypted private key: give it unencrypted, readable by Hallmark's user only "
                + "(e.g. 'openssl pkey -in " + file + " -out server.key', then chmod 600)");
    }

    private static List<Object> pemObjects(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw HallmarkException.badInput("cannot read " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw HallmarkException.badInput("cannot read " + file + ": permission denied");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw HallmarkException.badInput(file + " is not PEM (binary content; DER must be converted, e.g. with 'openssl x509 -inform DER')");
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot read " + file + ": " + e.getMessage());
        }
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object o; (o = parser.readObject()) != null; ) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw HallmarkException.badInput(file + " is not valid PEM: " + e.getMessage());
        }
        return objects;
    }

    /** Signs a probe and verifies it with the certificate's key: works for every key type, whatever the key file carries. */
    static boolean matches(PrivateKey key, PublicKey certificateKey) {
        String algorithm = switch (certificateKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> certificateKey.getAlgorithm(); // Ed25519, Ed448, EdDSA: the key names its own signature
        };
        try {
            byte[] probe = "hallmark tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a key that cannot sign for this certificate's algorithm does not match it
        }
    }

    private static String subject(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName();
    }
}
