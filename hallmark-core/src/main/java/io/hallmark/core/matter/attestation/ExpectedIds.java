package io.hallmark.core.matter.attestation;

/**
 * The Vendor ID and Product ID the device reports in its Basic Information cluster, when the verifier knows
 * them: the DAC must carry the same. Either may be null (not checked).
 */
public record ExpectedIds(Integer vendorId, Integer productId) {

    public static final ExpectedIds NONE = new ExpectedIds(null, null);

    public ExpectedIds {
        for (Integer id : new Integer[]{vendorId, productId}) {
            if (id != null && (id < 0 || id > 0xFFFF)) {
                throw new IllegalArgumentException("a Vendor or Product ID is 16 bits, got " + id);
            }
        }
    }
}
