package io.hallmark.core.matter.tlv;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hallmark.core.error.HallmarkException;

import java.util.Arrays;

/**
 * Hostile Matter TLV and DER certificates: the generic TLV reader, TLV to DER, and DER to TLV. The only documented
 * refusal is a HallmarkException of kind BAD_INPUT; any other exception, an OutOfMemoryError or a hang is a finding,
 * and so is a TLV certificate that converts but does not convert back to the same bytes. Without JAZZER_FUZZ the seed
 * corpus beside this class replays in the normal build; docs/security.md (Fuzzing) says how to run it long.
 */
class MatterTlvParsersFuzzTest {

    private static final TlvReader.Limits LIMITS = new TlvReader.Limits(8, 64 * 1024);

    @FuzzTest(maxDuration = "5m")
    void tlv(byte[] input) {
        try {
            TlvReader.read(input, LIMITS);
        } catch (HallmarkException e) {
            expectBadInput(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void tlvCertificates(byte[] input) {
        byte[] der;
        try {
            der = MatterTlvCertificates.toDer(input);
        } catch (HallmarkException e) {
            expectBadInput(e);
            return;
        }
        byte[] back;
        try {
            back = MatterTlvCertificates.toTlv(der);
        } catch (HallmarkException e) {
            // A TLV certificate whose X.509 form is valid but not the one Matter rebuilds (for instance a field that TLV
            // accepts and DER spells differently) is refused going back; that refusal is documented, not a finding.
            expectBadInput(e);
            return;
        }
        // What converted once converts the same way again: the X.509 form the TLV rebuilds is the one it came from.
        if (!Arrays.equals(MatterTlvCertificates.toDer(back), der)) {
            throw new AssertionError("TLV to DER to TLV to DER changed the certificate");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void derCertificates(byte[] input) {
        try {
            byte[] tlv = MatterTlvCertificates.toTlv(input);
            byte[] der = MatterTlvCertificates.toDer(tlv);
            if (!Arrays.equals(der, input)) {
                throw new AssertionError("DER to TLV to DER changed the certificate");
            }
        } catch (HallmarkException e) {
            expectBadInput(e);
        }
    }

    private static void expectBadInput(HallmarkException e) {
        if (e.kind() != HallmarkException.Kind.BAD_INPUT) {
            throw new AssertionError("refused as " + e.kind() + " instead of BAD_INPUT: " + e.getMessage(), e);
        }
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("refused without a reason", e);
        }
    }
}
