package io.hallmark.core.matter.tlv;

import io.hallmark.core.error.HallmarkException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Matter operational certificate in the form its two encodings share (CHIPCert.h): what the X.509 DER and the TLV
 * form both record, nothing either can leave out. The algorithms are fixed (ecdsa-with-SHA256, an EC key on
 * prime256v1), so they are not fields. Times are seconds since the Matter epoch, 2000-01-01T00:00:00Z, with 0
 * standing for 9999-12-31T23:59:59Z ("no well-defined expiration"). Building one applies the rules both directions
 * share, so DER to TLV and TLV to DER refuse the same certificates.
 */
public record MatterCertificate(byte[] serial, List<DnAttribute> issuer, long notBefore, long notAfter, List<DnAttribute> subject,
                                byte[] publicKey, List<CertExtension> extensions, byte[] signature) {

    /** CHIP_CONFIG_CERT_MAX_RDN_ATTRIBUTES: the SDK holds at most five attributes per name. */
    public static final int MAX_DN_ATTRIBUTES = 5;

    public MatterCertificate {
        serial = serial.clone();
        publicKey = publicKey.clone();
        signature = signature.clone();
        issuer = List.copyOf(issuer);
        subject = List.copyOf(subject);
        extensions = List.copyOf(extensions);
        if (serial.length == 0) throw HallmarkException.badInput("the serial number is empty");
        if (serial.length > 20) throw HallmarkException.badInput("the serial number is " + serial.length + " bytes; at most 20 are allowed");
        if (serial[0] < 0) throw HallmarkException.badInput("the serial number is negative");
        if (serial.length > 1 && serial[0] == 0 && serial[1] >= 0) {
            throw HallmarkException.badInput("the serial number has a superfluous leading zero byte (not a DER INTEGER)");
        }
        if (serial.length == 1 && serial[0] == 0) throw HallmarkException.badInput("the serial number is zero; it must be positive");
        checkName("issuer", issuer);
        checkName("subject", subject);
        for (long t : new long[] {notBefore, notAfter}) {
            if (t < 0 || t > 0xFFFFFFFFL) throw new IllegalArgumentException("time out of range: " + t);
        }
        // The SDK's decoder checks this (DecodeConvertValidity), so a certificate breaking it converts in neither direction.
        if (notAfter != MatterTime.NO_EXPIRY && notBefore >= notAfter) {
            throw HallmarkException.badInput("notBefore is not before notAfter");
        }
        if (publicKey.length != 65 || publicKey[0] != 0x04) {
            throw HallmarkException.badInput("the public key is not an uncompressed P-256 point (65 bytes starting 04)");
        }
        if (signature.length != 64) throw new IllegalArgumentException("signature must be r||s, 64 bytes");
        if (extensions.isEmpty()) {
            throw HallmarkException.badInput("the certificate has no extensions; the TLV form always has an extensions list, so X.509 without one cannot be rebuilt");
        }
        Set<org.bouncycastle.asn1.ASN1ObjectIdentifier> seen = new HashSet<>();
        for (CertExtension e : extensions) {
            if (!seen.add(e.oid())) throw HallmarkException.badInput("extension " + e.oid().getId() + " appears twice");
        }
    }

    @Override
    public byte[] serial() {
        return serial.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    private static void checkName(String which, List<DnAttribute> name) {
        if (name.size() > MAX_DN_ATTRIBUTES) {
            throw HallmarkException.badInput("the " + which + " has " + name.size() + " attributes; Matter allows at most " + MAX_DN_ATTRIBUTES);
        }
    }
}
