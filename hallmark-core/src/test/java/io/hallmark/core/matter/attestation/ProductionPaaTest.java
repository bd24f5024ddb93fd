package io.hallmark.core.matter.attestation;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PAAs the CSA publishes (mirrored by the Matter SDK) are PAAs by this format check, and a store of them loads every one. */
class ProductionPaaTest {

    @Test
    void everyPublishedPaaHasThePaaFormat() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(MatterVectors.productionPaaDir())) {
            files = s.filter(p -> p.toString().endsWith(".pem")).sorted().toList();
        }
        assertEquals(7, files.size());
        for (Path file : files) {
            Optional<String> violation = AttestationFormat.violation(CertificateKind.PAA, Files.readAllBytes(file));
            assertTrue(violation.isEmpty(), file.getFileName() + ": " + violation.orElse(""));
            // the same certificate is no PAI (pathLen must be 0 there) and no DAC: the check tells the kinds apart
            assertTrue(AttestationFormat.violation(CertificateKind.DAC, Files.readAllBytes(file)).isPresent(), file.toString());
        }
    }

    @Test
    void theStoreLoadsThemAllAndSkipsWhatIsNoCertificate() {
        PaaStore store = PaaStore.load(MatterVectors.productionPaaDir());
        assertEquals(7, store.size(), store.describe().toString());
        assertEquals(List.of(new PaaStore.Skipped("README.md", "not a well-formed X.509 certificate")), store.skipped().stream()
                .map(s -> new PaaStore.Skipped(s.file(), s.why().replaceAll(" \\(.*", ""))).toList());
    }

    @Test
    void theTestPaaStoreSkipsTheKeysBesideTheCertificates() {
        PaaStore store = PaaStore.load(MatterVectors.paaDir());
        assertEquals(4, store.size(), "FFF1 and NoVID, each as .pem and .der");
        assertEquals(4, store.skipped().size(), store.skipped().toString());
    }
}
