package io.hallmark.core.matter.attestation;

/**
 * Why a device attestation chain was refused. The names and numbers are those of the Matter SDK's
 * {@code AttestationVerificationResult} (connectedhomeip, {@code DeviceAttestationVerifier.h}), so a refusal
 * reads the same here as in a commissioner's log; only the codes that certificate checks can produce are
 * listed (nonce, attestation signature and certification declaration checks belong to the commissioning
 * exchange, not to the chain).
 */
public enum AttestationReason {
    PAA_NOT_FOUND("kPaaNotFound", 101),
    PAA_EXPIRED("kPaaExpired", 102),
    PAA_SIGNATURE_INVALID("kPaaSignatureInvalid", 103),
    PAA_FORMAT_INVALID("kPaaFormatInvalid", 105),

    PAI_EXPIRED("kPaiExpired", 200),
    PAI_SIGNATURE_INVALID("kPaiSignatureInvalid", 201),
    PAI_FORMAT_INVALID("kPaiFormatInvalid", 203),
    PAI_VENDOR_ID_MISMATCH("kPaiVendorIdMismatch", 205),

    DAC_EXPIRED("kDacExpired", 300),
    DAC_SIGNATURE_INVALID("kDacSignatureInvalid", 301),
    DAC_FORMAT_INVALID("kDacFormatInvalid", 303),
    DAC_VENDOR_ID_MISMATCH("kDacVendorIdMismatch", 305),
    DAC_PRODUCT_ID_MISMATCH("kDacProductIdMismatch", 306),
    DAC_AUTHORITY_NOT_FOUND("kDacAuthorityNotFound", 307);

    private final String sdkName;
    private final int sdkCode;

    AttestationReason(String sdkName, int sdkCode) {
        this.sdkName = sdkName;
        this.sdkCode = sdkCode;
    }

    /** The SDK's name, e.g. {@code kDacFormatInvalid}. */
    public String sdkName() {
        return sdkName;
    }

    /** The SDK's numeric value of the same result. */
    public int sdkCode() {
        return sdkCode;
    }

    /** The format refusal for a certificate of this kind. */
    static AttestationReason formatInvalid(CertificateKind kind) {
        return switch (kind) {
            case PAA -> PAA_FORMAT_INVALID;
            case PAI -> PAI_FORMAT_INVALID;
            case DAC -> DAC_FORMAT_INVALID;
        };
    }
}
