package io.hallmark.core.matter;

/** The Matter SDK's size limits on certificates ({@code src/credentials/CHIPCert.h}), one place for every part that checks them. */
public final class MatterLimits {

    private MatterLimits() {
    }

    /** kMaxDERCertLength: the largest X.509 form of a Matter certificate a Matter stack accepts. */
    public static final int MAX_DER_BYTES = 600;
    /** kMaxCHIPCertLength: the largest Matter TLV certificate. */
    public static final int MAX_TLV_BYTES = 400;
}
