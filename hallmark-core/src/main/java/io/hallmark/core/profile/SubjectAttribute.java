package io.hallmark.core.profile;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.text.SafeText;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One attribute type a device subject may carry: its OID, the string types its value may be encoded as,
 * and its bounds in characters (X.520 bounds count characters, not octets: a 64-character UTF8String
 * commonName may take up to 256 octets).
 *
 * @param name      the RFC 4519 / RFC 5280 name, used in messages
 * @param encodings accepted string types, the preferred one first
 * @param bound     where {@code maxLength} comes from, for messages ("X.520", "RFC 1035"...)
 * @param form      the whole value must match it (a profile's {@code pattern}: a Matter Vendor ID is four upper-case
 *                  hex digits); null for any value within the type and bounds
 */
public record SubjectAttribute(ASN1ObjectIdentifier type, String name, List<SubjectStringType> encodings, int minLength, int maxLength,
                               String bound, java.util.regex.Pattern form) {

    public SubjectAttribute(ASN1ObjectIdentifier type, String name, List<SubjectStringType> encodings, int minLength, int maxLength, String bound) {
        this(type, name, encodings, minLength, maxLength, bound, null);
    }

    public SubjectAttribute {
        encodings = List.copyOf(encodings);
        if (encodings.isEmpty() || minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("attribute " + name + ": no encoding, or bounds " + minLength + ".." + maxLength);
        }
    }

    /**
     * Checks one value of this attribute as it came in a CSR: an accepted string type, no control, bidi or
     * separator character ({@link SafeText#isUnsafe}), well-formed UTF-16 after decoding, within the type's
     * repertoire and within the bounds. One pass over the characters; nothing is copied but the decoded string.
     *
     * @throws HallmarkException BAD_INPUT naming the attribute and what is wrong, never echoing the value
     */
    public void check(ASN1Encodable value) {
        SubjectStringType encoding = SubjectStringType.of(value);
        if (encoding == null || !encodings.contains(encoding)) {
            throw HallmarkException.badInput("subject " + name + " is " + describe(value) + "; it must be " + encodingList()
                    + (encodings.contains(SubjectStringType.UTF8) ? " (RFC 5280 4.1.2.6)" : " (X.520)"));
        }
        String text;
        try {
            text = ((ASN1String) value).getString();
        } catch (RuntimeException e) {
            throw HallmarkException.badInput("subject " + name + " is not a well-formed " + encoding);
        }
        check(text, encoding);
    }

    /** Checks {@code text} as this attribute's value encoded as {@code encoding}; see {@link #check(ASN1Encodable)}. */
    public void check(String text, SubjectStringType encoding) {
        int characters = 0;
        for (int i = 0, n = text.length(); i < n; i++, characters++) {
            char c = text.charAt(i);
            if (SafeText.isUnsafe(c)) {
                throw HallmarkException.badInput("subject " + name + " contains the control character " + SafeText.codePoint(c) + " at character "
                        + (characters + 1) + "; control characters, bidirectional controls and line separators are refused in subjects");
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == n || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    throw HallmarkException.badInput("subject " + name + " is not well-formed Unicode (a lone surrogate at character " + (characters + 1) + ")");
                }
                i++; // a pair is one character
            }
        }
        if (!encoding.holds(text)) {
            throw HallmarkException.badInput("subject " + name + " holds a character a " + encoding + " cannot (" + encoding.repertoire() + ")");
        }
        if (characters < minLength || characters > maxLength) {
            throw HallmarkException.badInput(characters == 0 ? "subject " + name + " is empty"
                    : "subject " + name + " has " + characters + " characters; " + bound + (minLength == maxLength
                    ? " requires exactly " + maxLength : " allows at most " + maxLength));
        }
        if (form != null && !form.matcher(text).matches()) {
            // The form, not the value: a subject is the requester's text and is not echoed.
            throw HallmarkException.badInput("subject " + name + " is not of the form " + bound + " requires (pattern " + form.pattern() + ")");
        }
    }

    /** Whether {@code text}, encoded as the preferred type, would pass {@link #check}. */
    public boolean accepts(String text) {
        try {
            check(text, encodings.getFirst());
            return true;
        } catch (HallmarkException e) {
            return false;
        }
    }

    private String encodingList() {
        return encodings.stream().map(e -> "a " + e).collect(Collectors.joining(" or "));
    }

    /** "a BMPString", "a Sequence": BouncyCastle's class name without its encoding prefix. */
    private static String describe(ASN1Encodable value) {
        return "a " + value.getClass().getSimpleName().replaceFirst("^(ASN1|DER|DL|BER)", "");
    }
}
