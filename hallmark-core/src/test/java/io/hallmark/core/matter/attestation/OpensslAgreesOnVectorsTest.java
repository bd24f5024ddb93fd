package io.hallmark.core.matter.attestation;

import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.x509.Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * openssl as a second opinion: for every chain this verifier accepts among the vectors, {@code openssl verify
 * -x509_strict} at the DAC's notBefore (how the SDK validates the chain) accepts it too; for the chains refused
 * because a certificate was issued outside its issuer's validity, openssl refuses them as well.
 */
class OpensslAgreesOnVectorsTest {

    @TempDir
    Path tmp;

    @Test
    void opensslAgreesWithEveryVerdictOnTheChainAtTheDacsNotBefore() throws Exception {
        Path openssl = Peers.tool("openssl");
        Path paa = MatterVectors.paaDir().resolve("Chip-Test-PAA-FFF1-Cert.pem");
        AttestationVerifier verifier = new AttestationVerifier(PaaStore.load(MatterVectors.paaDir()));
        List<Path> chains = new ArrayList<>();
        try (Stream<Path> s = Files.list(MatterVectors.cases())) {
            s.filter(Files::isDirectory).sorted().forEach(d -> chains.add(d));
        }
        List<String> disagreements = new ArrayList<>();
        int accepted = 0, refusedInTime = 0;
        for (Path dir : chains) {
            Path dac = dir.resolve("dac-Cert.pem"), pai = dir.resolve("pai-Cert.pem");
            AttestationResult ours = verifier.verify(Files.readAllBytes(dac), Files.readAllBytes(pai), ExpectedIds.NONE, null);
            boolean timeRefusal = ours instanceof AttestationResult.Refused r
                    && (r.reason() == AttestationReason.PAI_EXPIRED || r.reason() == AttestationReason.PAA_EXPIRED);
            if (!ours.valid() && !timeRefusal) {
                continue; // format and VID/PID rules are Matter's, not X.509's: openssl has no opinion on them
            }
            Peers.Result theirs = verify(openssl, paa, pai, dac);
            if (ours.valid() != (theirs.exit() == 0)) {
                disagreements.add(dir.getFileName() + ": ours " + ours + ", openssl " + theirs.all().strip());
            }
            if (ours.valid()) {
                accepted++;
            } else {
                refusedInTime++;
            }
        }
        Path set = MatterVectors.root().resolve("test-set");
        for (String dac : List.of("Chip-Test-DAC-FFF1-8000-0000-Cert.pem", "Chip-Test-DAC-FFF1-8000-0001-Cert.pem")) {
            Peers.Result theirs = verify(openssl, paa, set.resolve("Chip-Test-PAI-FFF1-8000-Cert.pem"), set.resolve(dac));
            if (theirs.exit() != 0) {
                disagreements.add(dac + ": openssl " + theirs.all().strip());
            }
        }
        assertTrue(disagreements.isEmpty(), String.join("\n", disagreements));
        // 23: the 22 valid cases and struct_pai_subject_pid_mismatch, whose chain is sound (only the device's own PID refuses it)
        assertTrue(accepted == 23 && refusedInTime == 2, "23 sound chains and 2 issued out of time, was " + accepted + " and " + refusedInTime);
    }

    private Peers.Result verify(Path openssl, Path paa, Path pai, Path dac) throws IOException {
        long at = notBefore(dac).getEpochSecond();
        return Peers.run(tmp, openssl.toString(), "verify", "-x509_strict", "-attime", Long.toString(at), "-CAfile", paa.toString(),
                "-untrusted", pai.toString(), dac.toString());
    }

    private static Instant notBefore(Path pem) throws IOException {
        byte[] der = io.hallmark.core.crypto.Pem.derOf(Files.readAllBytes(pem), "CERTIFICATE");
        return io.hallmark.core.crypto.Asn1Times.instant(Certificate.getInstance(der).getStartDate());
    }
}
