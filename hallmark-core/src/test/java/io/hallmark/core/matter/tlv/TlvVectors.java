package io.hallmark.core.matter.tlv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The Matter SDK's TLV certificate vectors, copied under src/test/resources/matter/tlv (README.md there names their source). */
final class TlvVectors {

    /** The pairs: each has NAME.chip and NAME.der. */
    static final List<String> PAIRS = List.of("Root01", "Root02", "Root03", "ICA01", "ICA02", "ICA01_1", "FWSign01", "Node01_01",
            "Node01_02", "Node02_01", "Node02_02", "Node02_03", "Node02_04", "Node02_05", "Node02_06", "Node02_07", "Node02_08", "PDCID01");

    private TlvVectors() {
    }

    static byte[] bytes(String file) {
        try (InputStream in = TlvVectors.class.getResourceAsStream("/matter/tlv/" + file)) {
            if (in == null) throw new IllegalStateException("missing test vector " + file);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
