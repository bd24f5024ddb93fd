package io.hallmark.cli;

import io.hallmark.core.ca.CaImporter;
import io.hallmark.core.crypto.PrivateKeyFiles;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.CertificateAuthority;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "import", description = {"Take over a CA made elsewhere (OpenSSL, another PKI): its certificate and private key.",
        "Checks that the certificate is a CA's (basicConstraints cA=TRUE, keyCertSign), that the key is strong enough, and that "
                + "it is the certificate's key by signing and verifying; the key then goes into the vault, encrypted like generated keys. "
                + "Refusals exit 3 and store nothing. Bring its earlier certificates in with 'hallmark cert import'."})
final class CaImportCommand implements Callable<Integer> {

    /** A key file (or a CA certificate) larger than this is not one. */
    static final int MAX_FILE = 256 * 1024;
    static final String PKCS11_SCHEME = "pkcs11";

    @ParentCommand
    CaCommand ca;
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Name of the CA in Hallmark (lowercase letters, digits, '-').")
    String name;
    @Option(names = "--cert", required = true, paramLabel = "FILE", description = "The CA certificate, PEM or DER.")
    Path cert;

    static final class KeyOption {
        @Option(names = "--key", paramLabel = "FILE", description = "Its private key: PKCS#8 or traditional PEM (encrypted or not), or DER PKCS#8.")
        Path key;
        @Option(names = "--pkcs11-uri", paramLabel = "URI", description = "Its key already on a token (RFC 7512 pkcs11: URI); needs the PKCS#11 vault.")
        String pkcs11Uri;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    KeyOption keyOption;
    @Option(names = "--key-passphrase-file", paramLabel = "FILE", description = "The passphrase of an encrypted --key (first line).")
    Path keyPassphraseFile;
    @Option(names = "--parent", paramLabel = "NAME", description = "The Hallmark CA that signed this one; without it the certificate must be self-signed (a root).")
    String parent;
    @Option(names = "--profiles", split = ",", paramLabel = "PROFILE", description = "End-entity profiles it will issue (comma-separated); none: it issues CA certificates only.")
    List<String> profiles = new ArrayList<>();

    @Override
    public Integer call() {
        byte[] certificate = BoundedFiles.read(cert, MAX_FILE);
        var hallmark = ca.root.open();
        CaImporter.KeySource source = keySource(hallmark, keyOption.key, keyOption.pkcs11Uri, keyPassphraseFile);
        CertificateAuthority imported = hallmark.caImporter().importCa(name, certificate, source, parent, profiles, hallmark.profiles(),
                HallmarkCommand.actor());
        System.out.println("imported CA " + imported.name() + " (" + imported.subject() + ", " + imported.algorithm().id() + "), key " + imported.keyRef());
        System.out.println("the key is now in the vault: destroy the original key file once its backup is in place (see docs/key-custody.md)");
        return 0;
    }

    /** The key to take over, from a key file (with its passphrase file, if encrypted) or a pkcs11: URI; exactly one is given. */
    static CaImporter.KeySource keySource(io.hallmark.core.Hallmark hallmark, Path key, String pkcs11Uri, Path keyPassphraseFile) {
        if (pkcs11Uri != null) {
            if (!pkcs11Uri.startsWith(PKCS11_SCHEME + ":") || !hallmark.vaults().has(PKCS11_SCHEME)) {
                throw HallmarkException.badInput(pkcs11Uri.startsWith(PKCS11_SCHEME + ":")
                        ? "pkcs11 vault not configured: set it up with 'hallmark init --vault pkcs11 ...' first"
                        : "--pkcs11-uri must be a pkcs11: URI (RFC 7512)");
            }
            return new CaImporter.KeySource.Reference(pkcs11Uri);
        }
        char[] passphrase = keyPassphraseFile == null ? null : new String(BoundedFiles.read(keyPassphraseFile, 4096),
                java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElse("").toCharArray();
        return new CaImporter.KeySource.File(PrivateKeyFiles.read(BoundedFiles.read(key, MAX_FILE), passphrase, key.toString()));
    }
}
