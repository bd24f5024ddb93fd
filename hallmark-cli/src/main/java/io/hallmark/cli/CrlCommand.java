package io.hallmark.cli;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.revoke.CrlService.GeneratedCrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "crl", description = "Certificate revocation lists.", subcommands = CrlCommand.Generate.class)
final class CrlCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "generate", description = {"Sign a CRL of a CA now: complete (default), --delta, or one --partition.",
            "With --out the CRL is written as DER (what HTTP CRL distribution points serve); without it, PEM goes to "
                    + "standard output (what Mosquitto's crlfile needs: it reads no DER)."})
    static final class Generate implements Callable<Integer> {

        @ParentCommand
        CrlCommand parent;

        @Option(names = "--ca", required = true, paramLabel = "NAME", description = "The issuing CA.")
        String ca;

        @Option(names = "--delta", description = "A delta CRL against the latest complete CRL of the same scope.")
        boolean delta;

        @Option(names = "--partition", paramLabel = "K", description = "Partition K of the CA's certificates (see the publication setting).")
        Integer partition;

        @Option(names = "--out", paramLabel = "FILE", description = "Write DER here instead of PEM to standard output.")
        Path out;

        @Mixin
        Output.JsonOption output;

        record Report(String ca, Integer partition, boolean delta, long number, Long baseNumber, String thisUpdate, String nextUpdate,
                      int entries, int bytes, String out) {
        }

        @Override
        public Integer call() {
            if (output.json && out == null) throw HallmarkException.badInput("--json needs --out (standard output carries the CRL)");
            GeneratedCrl crl = parent.root.open().crls().generate(ca, delta, partition);
            CaCommand.write(out, out == null ? Pem.encode("X509 CRL", crl.der()).getBytes(StandardCharsets.US_ASCII) : crl.der());
            Report r = new Report(crl.ca(), crl.partition(), crl.delta(), crl.number(), crl.baseNumber(), crl.thisUpdate().toString(),
                    crl.nextUpdate().toString(), crl.entries(), crl.der().length, out == null ? null : out.toString());
            if (output.json) {
                Output.json(r);
            } else {
                (out == null ? System.err : System.out).println((delta ? "delta " : "") + "CRL " + crl.fileName() + " number " + crl.number()
                        + (crl.baseNumber() == null ? "" : " (base " + crl.baseNumber() + ")") + ": " + crl.entries() + " entries, "
                        + crl.der().length + " bytes, next update " + crl.nextUpdate() + (out == null ? "" : " -> " + out));
            }
            return 0;
        }
    }
}
