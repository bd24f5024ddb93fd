package io.hallmark.cli;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.Serials;
import org.bouncycastle.cert.X509CertificateHolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "cross-sign", description = {
        "Certify one CA's key and subject with another CA (any two CAs of this installation): whoever trusts OTHER can then",
        "verify what NAME issued, by adding the PEM written to --out as an intermediate. Recorded in the inventory and audited.",
        "  hallmark ca cross-sign --ca idevid-ca --by partner-root --out idevid-ca-by-partner-root.pem"})
final class CaCrossSignCommand implements Callable<Integer> {

    @ParentCommand
    CaCommand ca;
    @Option(names = "--ca", required = true, paramLabel = "NAME", description = "The CA whose key and subject are certified.")
    String name;
    @Option(names = "--by", required = true, paramLabel = "OTHER", description = "The CA that signs.")
    String by;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the certificate (PEM).")
    Path out;

    @Override
    public Integer call() {
        X509CertificateHolder cert = ca.root.open().cas().crossSign(name, by, HallmarkCommand.actor());
        try {
            CaCommand.write(out, Pem.certificate(cert.getEncoded()).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.err.println("cross-signed " + name + " by " + by + ": serial " + Serials.hex(cert.getSerialNumber()) + " -> " + out);
        return 0;
    }
}
