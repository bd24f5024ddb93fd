package io.hallmark.core.matter.attestation;

/** The verdict on a DAC → PAI → PAA chain: valid, or refused with the SDK's reason code and a sentence naming the certificate and the rule. */
public sealed interface AttestationResult permits AttestationResult.Valid, AttestationResult.Refused {

    boolean valid();

    /**
     * Every rule held. The ids are those the DAC carries (equal to the PAI's, and to the expected ones when
     * they were given); {@code paaVendorId} is null for a PAA without one.
     */
    record Valid(int vendorId, int productId, Integer paaVendorId, String dacSubject, String paiSubject, String paaSubject,
                 String paaSource) implements AttestationResult {
        @Override
        public boolean valid() {
            return true;
        }
    }

    /** The first rule that failed, in the order the specification's verifier applies them. */
    record Refused(AttestationReason reason, String message) implements AttestationResult {
        @Override
        public boolean valid() {
            return false;
        }
    }
}
