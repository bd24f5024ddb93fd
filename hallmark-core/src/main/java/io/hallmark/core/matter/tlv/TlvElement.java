package io.hallmark.core.matter.tlv;

/** One TLV element: its tag and its value. */
public record TlvElement(TlvTag tag, TlvValue value) {

    public static TlvElement context(int tag, TlvValue value) {
        return new TlvElement(TlvTag.context(tag), value);
    }

    public static TlvElement anonymous(TlvValue value) {
        return new TlvElement(TlvTag.ANONYMOUS, value);
    }
}
