package io.hallmark.core.matter.attestation;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Where the Matter SDK's attestation vectors are among the test resources (see matter/attestation/README.md there). */
final class MatterVectors {

    private MatterVectors() {
    }

    static Path root() {
        try {
            return Path.of(MatterVectors.class.getResource("/matter/attestation").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path cases() {
        return root().resolve("commissioner_dut");
    }

    /** The test PAAs every case but invalid_paa chains to: Chip-Test-PAA-FFF1 and Chip-Test-PAA-NoVID (their keys lie beside them). */
    static Path paaDir() {
        return root().resolve("paa");
    }

    static Path productionPaaDir() {
        try {
            return Path.of(MatterVectors.class.getResource("/matter/production-paa").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
