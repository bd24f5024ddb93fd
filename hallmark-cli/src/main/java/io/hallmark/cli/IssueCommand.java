package io.hallmark.cli;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.files.OwnerOnlyFile;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.report.CertificateSummary;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;

@Command(name = "issue", description = {"Issue a device certificate (IDevID or LDevID) from a PKCS#10 CSR.",
        "The CSR's signature, key type and strength are checked; the certificate is checked against its "
                + "profile and recorded before it is written out.",
        "The CSR must be signed with SHA-256 or stronger (SHA-1 and MD5 are refused), and its subject may hold only "
                + "the usual attribute types (CN, O, OU, C, L, ST, serialNumber...), each within its X.520 length "
                + "(CN at most 64 characters) and free of control characters (exit code 3 otherwise)."})
final class IssueCommand implements Callable<Integer> {

    @ParentCommand
    HallmarkCommand root;

    @Option(names = "--ca", required = true, paramLabel = "NAME", description = "Issuing CA, e.g. idevid-ca.")
    String ca;

    @Option(names = "--profile", required = true, paramLabel = "NAME", description = "Profile: idevid, ldevid, or one from the hierarchy file.")
    String profile;

    @ArgGroup(multiplicity = "1")
    KeySource keySource;

    static final class KeySource {
        @Option(names = "--csr", paramLabel = "FILE", description = "PKCS#10 request, PEM or DER; signed with SHA-256 or stronger.")
        Path csr;
        @Option(names = "--generate-key", description = "Development only: generate the device key here and write it next to the certificate (mode 0600).")
        boolean generateKey;
    }

    @Option(names = "--key-algorithm", defaultValue = "ec-p256", paramLabel = "ALG", description = "With --generate-key: ec-p256 (default), ec-p384, ed25519, rsa-2048, rsa-3072, ml-dsa-44/65/87, slh-dsa-*, or a composite such as mldsa44-ecdsa-p256-sha256.")
    String keyAlgorithm;

    @Option(names = "--subject", paramLabel = "DN", description = "With --generate-key: subject DN, e.g. \"CN=sensor,O=Example\".")
    String subject;

    @Option(names = "--serial-number", paramLabel = "SN", description = "Device serial number for the subject's serialNumber (2.5.4.5).")
    String serialNumber;

    @Option(names = "--hw-type", paramLabel = "OID", description = "hardwareModuleName hwType (RFC 4108), a dotted OID.")
    String hwType;

    @Option(names = "--hw-serial", paramLabel = "HEX", description = "hardwareModuleName hwSerialNum, hex.")
    String hwSerial;

    @Option(names = "--dns", paramLabel = "NAME", description = "DNS name for the subjectAltName (repeatable; server profiles, e.g. a broker's certificate, or profiles whose subjectAltNames allow dns; such profiles also take the CSR's requested names).")
    java.util.List<String> dnsNames = new java.util.ArrayList<>();

    @Option(names = "--ip", paramLabel = "ADDRESS", description = "IP address for the subjectAltName (repeatable; server profiles, or profiles whose subjectAltNames allow ip).")
    java.util.List<String> ipAddresses = new java.util.ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "Write the certificate (PEM) here instead of standard output.")
    Path out;

    @Option(names = "--chain", description = "Append the CA chain after the certificate.")
    boolean chain;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        HardwareModuleName hw = hwType == null && hwSerial == null ? null : HardwareModuleName.parse(hwType, hwSerial);
        KeyPair generated = null;
        Path keyFile = null;
        byte[] csr;
        if (keySource.generateKey) {
            if (out == null) throw HallmarkException.badInput("--generate-key needs --out, to know where to put the key");
            keyFile = keyFileFor(out);
            if (Files.exists(keyFile)) throw HallmarkException.conflict(keyFile + " exists; not overwriting a key");
            KeyAlgorithm algorithm = KeyAlgorithm.parse(keyAlgorithm);
            generated = algorithm.generate();
            csr = Csrs.create(generated, algorithm, subject == null ? new X500Name(new org.bouncycastle.asn1.x500.RDN[0]) : parseDn(subject));
        } else {
            csr = read(keySource.csr);
        }
        var hallmark = root.open();
        IssuedCertificate issued = hallmark.issuer().issue(new IssuanceRequest(ca, profile, csr, serialNumber, hw, HallmarkCommand.actor(),
                io.hallmark.core.issue.RequestedNames.parse(dnsNames, ipAddresses, "--dns", "--ip")));
        if (generated != null) {
            OwnerOnlyFile.create(keyFile, Csrs.privateKeyPem(generated).getBytes(StandardCharsets.US_ASCII));
        }
        StringBuilder pem = new StringBuilder(Pem.certificate(issued.certificate().der()));
        if (chain) {
            pem.append(Exports.pem(issued.chain()));
        }
        CaCommand.write(out, pem.toString().getBytes(StandardCharsets.US_ASCII));
        CertificateSummary s = CertificateSummary.of(issued.certificate(), hallmark.clock().instant());
        if (output.json) {
            if (out == null) throw HallmarkException.badInput("--json needs --out (standard output carries the certificate)");
            Output.json(new Report(s, issued.replayed(), out.toString(), keyFile == null ? null : keyFile.toString()));
        } else {
            var msg = out == null ? System.err : System.out;
            msg.println((issued.replayed() ? "already issued, same key: " : "issued ") + s.profile() + " " + s.serial()
                    + (s.device() == null ? "" : " for device " + Output.safe(s.device())) + ", valid until " + s.notAfter()
                    + (out == null ? "" : " -> " + out) + (keyFile == null ? "" : " (key " + keyFile + ")"));
        }
        return 0;
    }

    record Report(CertificateSummary certificate, boolean replayed, String out, String key) {
    }

    static Path keyFileFor(Path cert) {
        String name = cert.getFileName().toString();
        String base = name.endsWith(".pem") || name.endsWith(".crt") ? name.substring(0, name.length() - 4) : name;
        return cert.resolveSibling(base + ".key");
    }

    static X500Name parseDn(String dn) {
        try {
            return new X500Name(BCStyle.INSTANCE, dn);
        } catch (IllegalArgumentException e) {
            throw HallmarkException.badInput("not a distinguished name: '" + dn + "'");
        }
    }

    static byte[] read(Path file) {
        try {
            if (Files.size(file) > io.hallmark.core.issue.CheckedCsr.MAX_BYTES) {
                throw HallmarkException.badInput(file + " is too large to be a CSR");
            }
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw HallmarkException.notFound("no such file: " + file);
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot read " + file + ": " + e.getMessage());
        }
    }
}
