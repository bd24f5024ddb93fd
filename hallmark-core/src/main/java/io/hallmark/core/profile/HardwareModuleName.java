package io.hallmark.core.profile;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.OtherName;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * RFC 4108 §5 hardwareModuleName, the subjectAltName otherName IEEE 802.1AR uses to name the device's
 * hardware: {@code SEQUENCE { hwType OBJECT IDENTIFIER, hwSerialNum OCTET STRING }}.
 */
public record HardwareModuleName(ASN1ObjectIdentifier hwType, byte[] hwSerialNum) {

    /** id-on-hardwareModuleName, RFC 4108. */
    public static final ASN1ObjectIdentifier OID = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.4");

    public HardwareModuleName {
        if (hwSerialNum.length == 0) {
            throw HallmarkException.badInput("hwSerialNum must not be empty");
        }
        hwSerialNum = hwSerialNum.clone();
    }

    /** From the CLI's {@code --hw-type OID --hw-serial HEX}. */
    public static HardwareModuleName parse(String hwType, String hwSerialHex) {
        if (hwType == null || hwSerialHex == null) {
            throw HallmarkException.badInput("--hw-type and --hw-serial go together");
        }
        if (!hwType.matches("[0-2](\\.(0|[1-9]\\d*))+")) {
            throw HallmarkException.badInput("--hw-type must be a dotted OID, not '" + hwType + "'");
        }
        byte[] serial;
        try {
            serial = HexFormat.of().parseHex(hwSerialHex.replace(":", ""));
        } catch (IllegalArgumentException e) {
            throw HallmarkException.badInput("--hw-serial must be hex, not '" + hwSerialHex + "'");
        }
        return new HardwareModuleName(new ASN1ObjectIdentifier(hwType), serial);
    }

    public GeneralName toGeneralName() {
        return new GeneralName(GeneralName.otherName,
                new OtherName(OID, new DERSequence(new ASN1Encodable[]{hwType, new DEROctetString(hwSerialNum)})));
    }

    /** Reads one from a GeneralName; empty if it is not a hardwareModuleName, an error if malformed. */
    public static Optional<HardwareModuleName> from(GeneralName name) {
        if (name.getTagNo() != GeneralName.otherName) {
            return Optional.empty();
        }
        OtherName other = OtherName.getInstance(name.getName());
        if (!other.getTypeID().equals(OID)) {
            return Optional.empty();
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(other.getValue());
            if (seq.size() != 2) {
                throw new IllegalArgumentException("expected 2 elements, found " + seq.size());
            }
            return Optional.of(new HardwareModuleName(ASN1ObjectIdentifier.getInstance(seq.getObjectAt(0)),
                    ASN1OctetString.getInstance(seq.getObjectAt(1)).getOctets()));
        } catch (IllegalArgumentException e) {
            throw HallmarkException.badInput("malformed hardwareModuleName: " + e.getMessage());
        }
    }

    public String hwSerialHex() {
        return HexFormat.of().formatHex(hwSerialNum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HardwareModuleName h && hwType.equals(h.hwType) && Arrays.equals(hwSerialNum, h.hwSerialNum);
    }

    @Override
    public int hashCode() {
        return hwType.hashCode() * 31 + Arrays.hashCode(hwSerialNum);
    }

    @Override
    public String toString() {
        return "hardwareModuleName{hwType=" + hwType.getId() + ", hwSerialNum=" + hwSerialHex() + "}";
    }
}
