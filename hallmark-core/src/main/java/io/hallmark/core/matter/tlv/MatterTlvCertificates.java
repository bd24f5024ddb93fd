package io.hallmark.core.matter.tlv;

import java.util.Arrays;

/**
 * Converts Matter operational certificates between X.509 DER and the Matter TLV certificate form (Matter Core
 * Specification §6.5; the SDK's CHIPCertToX509.cpp and CHIPCertFromX509.cpp), exactly in both directions: the DER a
 * TLV certificate turns into is the DER its issuer signed, so the signature verifies, and a certificate whose DER
 * the TLV form could not give back byte for byte is refused with the reason rather than converted.
 */
public final class MatterTlvCertificates {

    /** kMaxCHIPCertLength: the largest Matter TLV certificate. */
    public static final int MAX_TLV_BYTES = io.hallmark.core.matter.MatterLimits.MAX_TLV_BYTES;
    /** kMaxDERCertLength: the largest X.509 form of a Matter certificate. */
    public static final int MAX_DER_BYTES = io.hallmark.core.matter.MatterLimits.MAX_DER_BYTES;

    private MatterTlvCertificates() {
    }

    /** The TLV form of a certificate given as DER; refused (BAD_INPUT, with the reason) when it has none that rebuilds these bytes. */
    public static byte[] toTlv(byte[] der) {
        if (der.length > MAX_DER_BYTES) {
            throw CertificateDer.bad("the certificate is " + der.length + " bytes of DER; Matter certificates are at most " + MAX_DER_BYTES);
        }
        MatterCertificate certificate = CertificateDer.read(der);
        byte[] rebuilt = CertificateDer.write(certificate);
        if (!Arrays.equals(rebuilt, der)) {
            throw CertificateDer.bad("its DER differs from the one the TLV form rebuilds at byte " + Arrays.mismatch(rebuilt, der)
                    + ", so the signature would not verify after a round trip");
        }
        byte[] tlv = CertificateTlv.write(certificate);
        if (tlv.length > MAX_TLV_BYTES) {
            throw CertificateDer.bad("its TLV form is " + tlv.length + " bytes; Matter TLV certificates are at most " + MAX_TLV_BYTES);
        }
        return tlv;
    }

    /**
     * The X.509 DER of a Matter TLV certificate (the full form, or the compact per-device-credential identity, which
     * has no other TLV form); refused (BAD_INPUT, with the reason) when the TLV is malformed or not a certificate.
     */
    public static byte[] toDer(byte[] tlv) {
        if (tlv.length > MAX_TLV_BYTES) {
            throw CertificateTlv.bad(tlv.length + " bytes; Matter TLV certificates are at most " + MAX_TLV_BYTES);
        }
        MatterCertificate certificate = CertificateTlv.read(tlv);
        byte[] der = CertificateDer.write(certificate);
        if (der.length > MAX_DER_BYTES) {
            throw CertificateTlv.bad("its X.509 form is " + der.length + " bytes; Matter certificates are at most " + MAX_DER_BYTES);
        }
        return der;
    }

    /** Whether the bytes start like a TLV certificate (an anonymous structure) rather than DER (a SEQUENCE) or PEM. */
    public static boolean looksLikeTlv(byte[] input) {
        return input.length > 0 && input[0] == 0x15;
    }
}
