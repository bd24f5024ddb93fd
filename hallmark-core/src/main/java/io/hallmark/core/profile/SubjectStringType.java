package io.hallmark.core.profile;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1UTF8String;

/**
 * The ASN.1 string types a device subject's attribute may be encoded as. RFC 5280 §4.1.2.6: CAs MUST encode
 * DirectoryString as PrintableString or UTF8String, so TeletexString, BMPString and UniversalString are not
 * here; IA5String is for emailAddress and domainComponent, whose syntax it is.
 */
public enum SubjectStringType {

    PRINTABLE("PrintableString", "letters, digits, space and '()+,-./:=? only"),
    UTF8("UTF8String", null),
    IA5("IA5String", "ASCII only");

    private final String asn1Name;
    private final String repertoire;

    SubjectStringType(String asn1Name, String repertoire) {
        this.asn1Name = asn1Name;
        this.repertoire = repertoire;
    }

    /** The type {@code value} is encoded as; null for any other ASN.1 type. */
    static SubjectStringType of(ASN1Encodable value) {
        if (value instanceof ASN1UTF8String) return UTF8;
        if (value instanceof ASN1PrintableString) return PRINTABLE;
        if (value instanceof ASN1IA5String) return IA5;
        return null;
    }

    /** The type a profile names ({@code printable}, {@code utf8}, {@code ia5}). */
    public static SubjectStringType named(String name) {
        for (SubjectStringType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw io.hallmark.core.error.HallmarkException.badInput("unknown stringType '" + name + "' (printable, utf8, ia5: RFC 5280 4.1.2.6)");
    }

    /** Whether the whole of {@code text} is in this type's repertoire (BouncyCastle's own tests of the X.680 alphabets). */
    boolean holds(String text) {
        return switch (this) {
            case PRINTABLE -> ASN1PrintableString.isPrintableString(text);
            case IA5 -> ASN1IA5String.isIA5String(text);
            case UTF8 -> true;
        };
    }

    /** {@code text} encoded as this type (its repertoire checked by the caller's attribute rule). */
    ASN1Encodable encode(String text) {
        return switch (this) {
            case PRINTABLE -> new org.bouncycastle.asn1.DERPrintableString(text);
            case IA5 -> new org.bouncycastle.asn1.DERIA5String(text);
            case UTF8 -> new org.bouncycastle.asn1.DERUTF8String(text);
        };
    }

    /** What the type may hold, for messages; null when any character may be held. */
    String repertoire() {
        return repertoire;
    }

    @Override
    public String toString() {
        return asn1Name;
    }
}
