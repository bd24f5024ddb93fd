package io.hallmark.cli;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.device.DeviceAgent;
import io.hallmark.device.DeviceCredential;
import io.hallmark.device.DeviceCredentials;
import io.hallmark.device.LdevidState;
import org.bouncycastle.asn1.x500.X500Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "enroll", description = "Get an LDevID: EST simpleenroll with the IDevID as TLS client certificate and a fresh "
        + "P-256 key made here. Stores certificate, key (0600) and CA chain under --state, replacing any current one atomically.")
final class DeviceEnrollCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions options;

    @Option(names = "--idevid-cert", paramLabel = "FILE", description = "IDevID certificate (PEM; intermediates may follow).")
    Path idevidCert;

    @Option(names = "--idevid-key", paramLabel = "FILE", description = "IDevID private key (unencrypted PEM, PKCS#8 or SEC1).")
    Path idevidKey;

    @Option(names = "--idevid-p12", paramLabel = "FILE", description = "IDevID key and certificate as PKCS#12, instead of the two PEM files.")
    Path idevidP12;

    @Option(names = "--p12-password-file", paramLabel = "FILE", description = "File whose first line is the PKCS#12 password.")
    Path p12PasswordFile;

    @Option(names = "--subject", paramLabel = "DN", description = "Subject to ask for, e.g. 'CN=pump-7,O=Example'; default: the IDevID's. The server adds the device serialNumber.")
    String subject;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        DeviceCredential idevid = idevid();
        X500Name asked = null;
        if (subject != null) {
            try {
                asked = new X500Name(subject);
            } catch (IllegalArgumentException e) {
                throw HallmarkException.badInput("--subject '" + subject + "' is not a distinguished name like 'CN=pump-7,O=Example'");
            }
        }
        DeviceAgent.Outcome outcome = options.agent().enroll(idevid, asked, options.policy());
        DeviceOptions.Report.of(outcome, new LdevidState(options.state)).print(output);
        return 0;
    }

    private DeviceCredential idevid() {
        boolean pem = idevidCert != null || idevidKey != null;
        if (pem == (idevidP12 != null)) {
            throw HallmarkException.badInput("give the IDevID either as --idevid-cert and --idevid-key, or as --idevid-p12 with --p12-password-file");
        }
        if (pem) {
            if (idevidCert == null || idevidKey == null) throw HallmarkException.badInput("--idevid-cert and --idevid-key go together");
            DeviceOptions.requireFile(idevidCert, "--idevid-cert");
            DeviceOptions.requireFile(idevidKey, "--idevid-key");
            return DeviceCredentials.fromPem(idevidCert, idevidKey);
        }
        if (p12PasswordFile == null) throw HallmarkException.badInput("--idevid-p12 needs --p12-password-file");
        DeviceOptions.requireFile(idevidP12, "--idevid-p12");
        DeviceOptions.requireFile(p12PasswordFile, "--p12-password-file");
        char[] password = io.hallmark.device.SecretFiles.firstLine(p12PasswordFile);
        try {
            return DeviceCredentials.fromPkcs12(idevidP12, password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
