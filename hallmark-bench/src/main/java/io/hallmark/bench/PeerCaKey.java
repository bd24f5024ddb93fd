package io.hallmark.bench;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.files.OwnerOnlyFile;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.crypto.Pem;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;

/**
 * A CA's key in the clear, for the peers a benchmark measures beside Hallmark ({@code openssl ca}, {@code cfssl}):
 * they must sign with the same key. The vault never hands out a private key, so the bench reads its own
 * throwaway vault the way {@code openssl pkey} would, with the passphrase it created the vault with: each
 * encrypted PKCS#8 file in the vault's directory ({@code *.key.pem}, docs/architecture.md) is decrypted until
 * one signs what the CA certificate's public key verifies. Nothing here depends on how the vault names its files.
 */
final class PeerCaKey {

    private static final byte[] PROBE = "hallmark bench: which key is the CA's".getBytes(StandardCharsets.US_ASCII);

    private PeerCaKey() {
    }

    /** Writes {@code ca}'s key to {@code out} as unencrypted PKCS#8 PEM ({@code openssl pkey}'s output), mode 0600. */
    static void write(Path keys, char[] passphrase, CertificateAuthority ca, Path out) {
        for (Path file : candidates(keys)) {
            PrivateKeyInfo key = decrypt(file, passphrase);
            if (signsFor(key, ca)) {
                byte[] clear;
                try {
                    clear = key.getEncoded();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                OwnerOnlyFile.create(out, Pem.encode("PRIVATE KEY", clear).getBytes(StandardCharsets.US_ASCII));
                return;
            }
        }
        throw HallmarkException.notFound("no key in " + keys + " belongs to CA " + ca.name());
    }

    private static List<Path> candidates(Path keys) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(keys, "*.key.pem")) {
            entries.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the vault at " + keys, e);
        }
        files.sort(null);
        return files;
    }

    private static PrivateKeyInfo decrypt(Path file, char[] passphrase) {
        try {
            byte[] der = Pem.derOf(Files.readAllBytes(file), "ENCRYPTED PRIVATE KEY");
            return new PKCS8EncryptedPrivateKeyInfo(der).decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().build(passphrase));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (Exception e) {
            throw HallmarkException.badInput("cannot decrypt " + file.getFileName() + " with the bench's vault passphrase: " + e.getMessage());
        }
    }

    /** Whether {@code key} makes signatures the CA certificate's public key verifies; a key of another type does not. */
    private static boolean signsFor(PrivateKeyInfo key, CertificateAuthority ca) {
        String algorithm = ca.algorithm().signatureAlgorithm();
        try {
            PrivateKey privateKey = new JcaPEMKeyConverter().getPrivateKey(key);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(ca.x509().getPublicKey());
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IOException e) {
            return false;
        }
    }
}
