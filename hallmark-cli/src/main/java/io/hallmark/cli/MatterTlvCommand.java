package io.hallmark.cli;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.matter.tlv.MatterTlvCertificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code hallmark matter tlv encode|decode}: converts a Matter operational certificate between X.509 and the Matter
 * TLV certificate form, exactly (docs/matter.md, "The Matter TLV certificate form"). Reads no installation.
 */
@Command(name = "tlv", description = "Convert Matter certificates between X.509 (PEM/DER) and the Matter TLV form, byte for byte.",
        subcommands = {MatterTlvCommand.Encode.class, MatterTlvCommand.Decode.class})
final class MatterTlvCommand {

    /** A PEM file of one certificate with comments around it stays far below this; DER and TLV are at most 600 and 400 bytes. */
    static final int MAX_INPUT = 16 * 1024;

    @Command(name = "encode", description = {"X.509 certificate (PEM or DER) to Matter TLV.",
            "Refused, with the reason, when the TLV form cannot rebuild the exact DER (exit 3)."})
    static final class Encode implements Callable<Integer> {
        @Option(names = "--in", required = true, paramLabel = "FILE", description = "The certificate, PEM or DER.")
        Path in;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the Matter TLV certificate.")
        Path out;

        @Override
        public Integer call() {
            byte[] input = BoundedFiles.read(in, MAX_INPUT);
            if (MatterTlvCertificates.looksLikeTlv(input)) {
                throw HallmarkException.badInput(in + " is already a Matter TLV certificate; 'hallmark matter tlv decode' turns it into X.509");
            }
            byte[] der = Pem.derOf(input, "CERTIFICATE");
            byte[] tlv = MatterTlvCertificates.toTlv(der);
            CaCommand.write(out, tlv);
            System.out.println("wrote " + out + ": Matter TLV, " + tlv.length + " bytes (the DER was " + der.length + ")");
            return 0;
        }
    }

    @Command(name = "decode", description = {"Matter TLV certificate to X.509: the DER its issuer signed.",
            "Refused, with the reason, when the input is not a well-formed Matter TLV certificate (exit 3)."})
    static final class Decode implements Callable<Integer> {
        @Option(names = "--in", required = true, paramLabel = "FILE", description = "The Matter TLV certificate.")
        Path in;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the X.509 certificate.")
        Path out;
        @Option(names = "--format", defaultValue = "pem", paramLabel = "pem|der", description = "Output format (default pem).")
        String format;

        @Override
        public Integer call() {
            String f = format.toLowerCase(Locale.ROOT);
            if (!f.equals("pem") && !f.equals("der")) throw HallmarkException.badInput("unknown format '" + format + "' (pem or der)");
            byte[] input = BoundedFiles.read(in, MAX_INPUT);
            if (!MatterTlvCertificates.looksLikeTlv(input)) {
                throw HallmarkException.badInput(in + " is not a Matter TLV certificate (it does not start with a TLV structure, 0x15)"
                        + (input.length > 0 && (input[0] == 0x30 || input[0] == '-') ? "; it looks like X.509: 'hallmark matter tlv encode' converts that" : ""));
            }
            byte[] der = MatterTlvCertificates.toDer(input);
            CaCommand.write(out, f.equals("der") ? der : Pem.certificate(der).getBytes(StandardCharsets.US_ASCII));
            System.out.println("wrote " + out + ": X.509 certificate, " + f.toUpperCase(Locale.ROOT) + " (DER " + der.length + " bytes, the TLV was " + input.length + ")");
            return 0;
        }
    }
}
