package io.hallmark.core.matter.tlv;

import io.hallmark.core.error.HallmarkException;

/**
 * One attribute of a certificate's issuer or subject, in the form both encodings share: a Matter id as a number, any
 * other attribute as a string with the ASN.1 string type it has in X.509. Building one checks what the SDK checks on
 * either side (an operational node id, a non-zero fabric id, a CASE Authenticated Tag with a non-zero version, the
 * string types each attribute may take), so a value that one side refuses is refused on the other too.
 */
public sealed interface DnAttribute {

    DnAttributeType type();

    enum StringType { UTF8, PRINTABLE, IA5 }

    record MatterId(DnAttributeType type, long value) implements DnAttribute {
        public MatterId {
            if (type.kind() == DnAttributeType.Kind.STRING) throw new IllegalArgumentException(type + " is not a Matter id");
            String name = type.label();
            switch (type) {
                case MATTER_NODE_ID -> {
                    if (value == 0 || Long.compareUnsigned(value, 0xFFFFFFEFFFFFFFFFL) > 0) {
                        throw HallmarkException.badInput(name + " " + hex(value, 16) + " is not an operational node id (0000000000000001..FFFFFFEFFFFFFFFF)");
                    }
                }
                case MATTER_FABRIC_ID -> {
                    if (value == 0) throw HallmarkException.badInput(name + " is 0, which is not a valid fabric id");
                }
                case MATTER_NOC_CAT -> {
                    if (Long.compareUnsigned(value, 0xFFFFFFFFL) > 0) throw HallmarkException.badInput(name + " does not fit 32 bits");
                    if ((value & 0xffff) == 0) throw HallmarkException.badInput(name + " " + hex(value, 8) + " has version 0, which is invalid");
                }
                default -> {
                }
            }
        }

        /** The X.509 form: upper-case hex, 16 digits (8 for a CASE Authenticated Tag). */
        public String text() {
            return hex(value, type.hexDigits());
        }

        private static String hex(long value, int digits) {
            String h = Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
            return "0".repeat(Math.max(0, digits - h.length())) + h;
        }
    }

    record Text(DnAttributeType type, String value, StringType stringType) implements DnAttribute {
        public Text {
            if (type.kind() != DnAttributeType.Kind.STRING) throw new IllegalArgumentException(type + " is a Matter id");
            // The TLV form rebuilds domainComponent as an IA5String and every other attribute as UTF8String or
            // PrintableString (ChipDN::EncodeToASN1): any other pairing would not come back as it was signed.
            if (type == DnAttributeType.DOMAIN_COMPONENT && stringType != StringType.IA5) {
                throw HallmarkException.badInput(type.label() + " as a " + stringType + " string: the TLV form rebuilds it as an IA5String");
            }
            if (type != DnAttributeType.DOMAIN_COMPONENT && stringType == StringType.IA5) {
                throw HallmarkException.badInput(type.label() + " as an IA5String: the TLV form carries only UTF8String or PrintableString for it");
            }
            if (stringType == StringType.PRINTABLE && !org.bouncycastle.asn1.ASN1PrintableString.isPrintableString(value)) {
                throw HallmarkException.badInput(type.label() + " is marked PrintableString but holds characters outside that set");
            }
            if (stringType == StringType.IA5 && !value.chars().allMatch(c -> c < 0x80)) {
                throw HallmarkException.badInput(type.label() + " holds characters outside IA5 (ASCII)");
            }
        }
    }
}
