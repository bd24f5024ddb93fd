package io.hallmark.cli;

import io.hallmark.cli.factory.BatchRunner;
import io.hallmark.cli.factory.BundleWriter;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.factory.BatchItem;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.ItemSource;
import io.hallmark.core.vault.DeviceToken;
import io.hallmark.core.vault.Pkcs11Settings;
import org.bouncycastle.asn1.x500.X500Name;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code hallmark factory provision}: devices whose key lives in their own PKCS#11 token (a secure element, a TPM
 * through tpm2-pkcs11). For each token the key is made inside it and the CSR signed there ({@link DeviceToken}); the
 * CSRs go through the same batch as {@code factory run} (local or remote, one {@link BatchRunner}); each issued
 * certificate, with its chain, is written back onto its token under the key's name.
 */
@Command(name = "provision", description = {"Provision devices whose key is made inside their own PKCS#11 token (secure element, TPM): "
        + "the key is generated on the token (P-256, private, sensitive, never extractable), only the CSR leaves it, and the "
        + "issued certificate and its chain are written back onto the token with the key's CKA_ID and label.",
        "Give --pkcs11-token and --serial-number once per device; the devices form one batch, run on the local store or with "
                + "--server on a Hallmark server as a station, exactly as 'factory run'. Running it again for a token whose key "
                + "is already there resends that key's CSR and writes the stored certificate (existing), so an interrupted "
                + "run is completed by running it again.",
        "Exit codes: 0 all provisioned, 3 some refused (see the manifest) or bad options, 4 a token or library not found, "
                + "6 a wrong PIN or the station's rights, 8 a token or the server unavailable."})
final class FactoryProvisionCommand implements Callable<Integer> {

    @ParentCommand
    FactoryCommand parent;

    @Option(names = "--pkcs11-library", required = true, paramLabel = "PATH",
            description = "The devices' PKCS#11 library (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so; tpm2-pkcs11: "
                    + "/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so).")
    Path library;

    @Option(names = "--pkcs11-pin-file", required = true, paramLabel = "FILE",
            description = "File holding the tokens' user PIN (one line; the PIN is never taken on the command line).")
    Path pinFile;

    @ArgGroup(exclusive = false, multiplicity = "1..*")
    List<Device> devices;

    static final class Device {
        @Option(names = "--pkcs11-token", required = true, paramLabel = "LABEL", description = "A device's token, by label (repeat per device).")
        String token;

        @Option(names = "--serial-number", required = true, paramLabel = "SN", description = "That device's serial number (follows its --pkcs11-token).")
        String serialNumber;
    }

    @Option(names = "--pkcs11-key-label", defaultValue = DeviceToken.DEFAULT_LABEL, paramLabel = "NAME",
            description = "CKA_LABEL and CKA_ID of the device key and its certificate on each token (default ${DEFAULT-VALUE}).")
    String keyLabel;

    @Option(names = "--key-storage", defaultValue = "secure-element", paramLabel = "KIND",
            description = "Recorded with each certificate: secure-element or tpm (default ${DEFAULT-VALUE}). The station "
                    + "declares it; nothing attests it.")
    String keyStorage;

    @Option(names = "--subject", paramLabel = "DN", description = "Subject of the CSRs (default none: the profile's subject, "
            + "serialNumber from --serial-number).")
    String subject;

    @Option(names = "--no-chain", description = "Write only the device's certificate to the token, not the CA chain above it.")
    boolean noChain;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory: chain.pem, devices/, manifest.csv, manifest.json.")
    Path out;

    @Option(names = "--bundles", defaultValue = "files", paramLabel = "LAYOUT",
            description = "Per-device bundles (certificate + chain; never a key): files, zip or none. Default ${DEFAULT-VALUE}.")
    String bundles;

    @Mixin
    FactoryTarget target;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() throws Exception {
        target.check();
        if (!keyStorage.equals("secure-element") && !keyStorage.equals("tpm")) {
            throw HallmarkException.badInput("--key-storage must be secure-element or tpm: the key is made in a token");
        }
        Set<String> tokens = new HashSet<>();
        Set<String> serials = new HashSet<>();
        for (Device d : devices) {
            if (!tokens.add(d.token)) throw HallmarkException.badInput("token '" + d.token + "' is given twice");
            if (!serials.add(d.serialNumber)) throw HallmarkException.badInput("serial number '" + d.serialNumber + "' is given twice");
        }
        X500Name csrSubject = subject == null ? new X500Name(new org.bouncycastle.asn1.x500.RDN[0]) : IssueCommand.parseDn(subject);
        BundleWriter.Layout layout = BundleWriter.Layout.of(bundles, false);
        BatchRunner runner = target.runner(parent.root::open, batch -> batch);
        String chainPem = runner.chainPem();
        List<X509Certificate> chain = noChain ? List.of()
                : Pem.blocks(chainPem.getBytes(java.nio.charset.StandardCharsets.US_ASCII), "CERTIFICATE").stream().map(Pem::x509).toList();

        // Every key is made (or found) before anything is sent: a token that cannot be opened stops the run
        // before any CA is asked.
        List<BatchItem> items = new ArrayList<>(devices.size());
        for (Device d : devices) {
            DeviceToken token = DeviceToken.open(new Pkcs11Settings(library, d.token, pinFile), keyLabel);
            String provisioned = token.provisionedSerialNumber().orElse(null);
            if (provisioned != null && !provisioned.equals(d.serialNumber)) {
                throw HallmarkException.badInput("token '" + d.token + "' already holds the certificate of device '" + provisioned
                        + "' for its key '" + keyLabel + "'; a token is one device (was --serial-number " + d.serialNumber + " meant for another token?)");
            }
            byte[] csr = token.csr(csrSubject);
            items.add(new BatchItem(FactoryItem.withDer(d.serialNumber, csr, null, null, keyStorage), null, token));
        }
        var next = items.iterator();
        ItemSource source = () -> next.hasNext() ? next.next() : null;
        return FactoryCommand.drive(runner, chainPem, source, items.size(), out, layout, output.json, outcome -> {
            if (outcome.result().ok() && outcome.attachment() instanceof DeviceToken token) {
                token.store(Pem.x509(outcome.result().certificateDer()), chain);
            }
        });
    }
}
