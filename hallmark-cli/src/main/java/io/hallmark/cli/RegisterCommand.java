package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.VerificationCertificates;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "register", description = {"Registration kits for cloud platforms: the files and commands each platform's own flow asks for, "
        + "to trust a Hallmark CA for the devices it issues (docs/platforms.md). Nothing is sent anywhere: run the printed commands yourself."},
        subcommands = {RegisterAwsCommand.class, RegisterAzureCommand.class})
final class RegisterCommand {

    @ParentCommand
    HallmarkCommand root;

    /**
     * Makes the verification certificate for {@code code} with the CA's key and writes the kit into {@code out}: ca.pem,
     * verification.pem and the given text files (name to content). Existing files of the same names are replaced, other
     * files in the directory are left alone. Prints what was written.
     */
    static VerificationCertificates.Proof writeKit(Hallmark hallmark, String ca, VerificationCertificates.Platform platform, String code,
                                                    Path out, java.util.function.Function<VerificationCertificates.Proof, Map<String, String>> texts) {
        VerificationCertificates.Proof proof = hallmark.verificationCertificates().make(ca, platform, code, HallmarkCommand.actor());
        Map<String, String> files = new LinkedHashMap<>();
        files.put("ca.pem", Pem.certificate(proof.ca().certificate()));
        files.put("verification.pem", Pem.certificate(encoded(proof)));
        files.putAll(texts.apply(proof));
        try {
            Files.createDirectories(out);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path tmp = Files.createTempFile(out, "." + f.getKey(), ".tmp");
                Files.writeString(tmp, f.getValue(), StandardCharsets.UTF_8);
                Files.move(tmp, out.resolve(f.getKey()), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot write the kit to " + out + ": " + e.getMessage());
        }
        System.out.println("verification certificate: CN=" + proof.verification().getSubject().getRDNs()[0].getFirst().getValue()
                + ", serial " + io.hallmark.core.crypto.Serials.hex(proof.verification().getSerialNumber())
                + ", signed by " + proof.ca().name() + ", valid until " + proof.verification().getNotAfter().toInstant());
        for (String name : files.keySet()) System.out.println("  " + out.resolve(name));
        return proof;
    }

    private static byte[] encoded(VerificationCertificates.Proof proof) {
        try {
            return proof.verification().getEncoded();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A JSON string literal (for embedding a JSON document in another, as AWS's registration config wants the template). */
    static String jsonString(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
