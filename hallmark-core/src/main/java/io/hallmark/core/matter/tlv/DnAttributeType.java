package io.hallmark.core.matter.tlv;

import io.hallmark.core.matter.MatterOids;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.util.Arrays;
import java.util.Optional;

/**
 * The distinguished-name attribute types a Matter TLV certificate can carry, with the TLV tag number the SDK's
 * OID table ({@code src/lib/asn1/gen_asn1oid.py}) gives each; nothing else has a tag, so nothing else converts.
 * Standard attributes are strings; the Matter ids are unsigned integers in TLV and 16 (or, for a CASE Authenticated
 * Tag, 8) upper-case hex digits in X.509.
 */
public enum DnAttributeType {
    COMMON_NAME(1, BCStyle.CN, Kind.STRING),
    SURNAME(2, BCStyle.SURNAME, Kind.STRING),
    SERIAL_NUMBER(3, BCStyle.SERIALNUMBER, Kind.STRING),
    COUNTRY_NAME(4, BCStyle.C, Kind.STRING),
    LOCALITY_NAME(5, BCStyle.L, Kind.STRING),
    STATE_OR_PROVINCE_NAME(6, BCStyle.ST, Kind.STRING),
    ORGANIZATION_NAME(7, BCStyle.O, Kind.STRING),
    ORGANIZATIONAL_UNIT_NAME(8, BCStyle.OU, Kind.STRING),
    TITLE(9, BCStyle.T, Kind.STRING),
    NAME(10, BCStyle.NAME, Kind.STRING),
    GIVEN_NAME(11, BCStyle.GIVENNAME, Kind.STRING),
    INITIALS(12, BCStyle.INITIALS, Kind.STRING),
    GENERATION_QUALIFIER(13, BCStyle.GENERATION, Kind.STRING),
    DN_QUALIFIER(14, BCStyle.DN_QUALIFIER, Kind.STRING),
    PSEUDONYM(15, BCStyle.PSEUDONYM, Kind.STRING),
    /** Always an IA5String in X.509 (RFC 4519), so its TLV tag never carries the PrintableString flag. */
    DOMAIN_COMPONENT(16, BCStyle.DC, Kind.STRING),
    MATTER_NODE_ID(17, MatterOids.NODE_ID, Kind.ID64),
    MATTER_FIRMWARE_SIGNING_ID(18, MatterOids.FIRMWARE_SIGNING_ID, Kind.ID64),
    MATTER_ICAC_ID(19, MatterOids.ICAC_ID, Kind.ID64),
    MATTER_RCAC_ID(20, MatterOids.RCAC_ID, Kind.ID64),
    MATTER_FABRIC_ID(21, MatterOids.FABRIC_ID, Kind.ID64),
    MATTER_NOC_CAT(22, MatterOids.NOC_CAT, Kind.ID32),
    /** matter-vid-verification-signer-id (1.3.6.1.4.1.37244.1.7), a string attribute in the SDK's table. */
    MATTER_VID_VERIFICATION_SIGNER_ID(23, new ASN1ObjectIdentifier("1.3.6.1.4.1.37244.1.7"), Kind.STRING);

    public enum Kind { STRING, ID64, ID32 }

    /** Bit 0x80 of a string attribute's TLV tag says the X.509 value is a PrintableString rather than a UTF8String. */
    public static final int PRINTABLE_FLAG = 0x80;

    private final int tag;
    private final ASN1ObjectIdentifier oid;
    private final Kind kind;

    DnAttributeType(int tag, ASN1ObjectIdentifier oid, Kind kind) {
        this.tag = tag;
        this.oid = oid;
        this.kind = kind;
    }

    public int tag() {
        return tag;
    }

    public ASN1ObjectIdentifier oid() {
        return oid;
    }

    public Kind kind() {
        return kind;
    }

    /** Hex digits of a Matter id in its X.509 string form. */
    public int hexDigits() {
        return kind == Kind.ID32 ? 8 : 16;
    }

    public static Optional<DnAttributeType> byTag(int tag) {
        return Arrays.stream(values()).filter(t -> t.tag == tag).findFirst();
    }

    public static Optional<DnAttributeType> byOid(ASN1ObjectIdentifier oid) {
        return Arrays.stream(values()).filter(t -> t.oid.equals(oid)).findFirst();
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " (" + oid.getId() + ")";
    }
}
