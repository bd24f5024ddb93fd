package io.hallmark.core.issue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.error.HallmarkException;

/**
 * Hostile PKCS#10 requests, PEM or DER, as {@code hallmark issue}, EST and factory batches read them: the only
 * documented refusal is a HallmarkException of kind BAD_INPUT; any other exception, an OutOfMemoryError or a hang
 * is a finding. Without JAZZER_FUZZ the seed corpus beside this class replays in the normal build; docs/security.md
 * (Fuzzing) says how to run it long.
 */
class CheckedCsrFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void csrs(byte[] input) {
        try {
            CheckedCsr csr = CheckedCsr.check(input, KeyPolicy.DEFAULT);
            if (csr.subject() == null || csr.publicKey() == null) {
                throw new AssertionError("accepted a CSR without subject or key");
            }
        } catch (HallmarkException e) {
            if (e.kind() != HallmarkException.Kind.BAD_INPUT || e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("refused as " + e.kind() + " instead of BAD_INPUT with a reason: " + e.getMessage(), e);
            }
        }
    }
}
