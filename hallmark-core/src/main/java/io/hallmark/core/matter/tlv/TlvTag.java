package io.hallmark.core.matter.tlv;

/**
 * A Matter TLV tag (Matter Core Specification, Appendix A.7): none, a context-specific number, or a
 * profile-specific number in the common, the implicit or a fully qualified profile. {@code profile} is the
 * 32-bit vendor-and-profile id of a fully qualified tag, zero otherwise.
 */
public record TlvTag(Form form, long profile, long number) {

    public enum Form { ANONYMOUS, CONTEXT, COMMON_PROFILE, IMPLICIT_PROFILE, FULLY_QUALIFIED }

    public static final TlvTag ANONYMOUS = new TlvTag(Form.ANONYMOUS, 0, 0);

    public static TlvTag context(int number) {
        if (number < 0 || number > 0xff) throw new IllegalArgumentException("context tag out of range: " + number);
        return new TlvTag(Form.CONTEXT, 0, number);
    }

    public boolean isContext(int n) {
        return form == Form.CONTEXT && number == n;
    }

    @Override
    public String toString() {
        return switch (form) {
            case ANONYMOUS -> "anonymous";
            case CONTEXT -> "context tag " + number;
            case COMMON_PROFILE -> "common-profile tag " + number;
            case IMPLICIT_PROFILE -> "implicit-profile tag " + number;
            case FULLY_QUALIFIED -> "fully qualified tag " + Long.toHexString(profile) + ":" + number;
        };
    }
}
