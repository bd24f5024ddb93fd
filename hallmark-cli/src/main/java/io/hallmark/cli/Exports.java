package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.store.CertificateAuthority;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the CA certificates where people and tools expect them: DATA/ca/NAME.pem and NAME-chain.pem. */
final class Exports {

    private Exports() {
    }

    static void caFiles(Hallmark hallmark, Path dataDir) {
        Path dir = dataDir.resolve("ca");
        try {
            Files.createDirectories(dir);
            for (CertificateAuthority ca : hallmark.cas().list()) {
                Files.writeString(dir.resolve(ca.name() + ".pem"), Pem.certificate(ca.certificate()));
                Files.writeString(dir.resolve(ca.name() + "-chain.pem"), chainPem(hallmark, ca.name()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write CA certificates to " + dir, e);
        }
    }

    /** The CA first, then its issuers up to the root. */
    static String chainPem(Hallmark hallmark, String ca) {
        return pem(hallmark.cas().chain(ca));
    }

    /** A chain of CAs as concatenated PEM, in the order given. */
    static String pem(java.util.List<CertificateAuthority> chain) {
        StringBuilder pem = new StringBuilder();
        for (CertificateAuthority c : chain) {
            pem.append(Pem.certificate(c.certificate()));
        }
        return pem.toString();
    }
}
