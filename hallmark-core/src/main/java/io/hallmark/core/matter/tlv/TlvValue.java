package io.hallmark.core.matter.tlv;

import java.util.Arrays;
import java.util.List;

/** A Matter TLV value (Appendix A.11): the element types a reader can meet, containers holding their members in order. */
public sealed interface TlvValue {

    /** An unsigned integer of up to 64 bits ({@code value} read as unsigned). */
    record UnsignedInt(long value) implements TlvValue {
    }

    record SignedInt(long value) implements TlvValue {
    }

    record Bool(boolean value) implements TlvValue {
    }

    /** IEEE 754 single or double precision, kept as its bits so that writing it again gives the same bytes. */
    record FloatingPoint(long bits, boolean isDouble) implements TlvValue {
    }

    record Utf8(String value) implements TlvValue {
    }

    record Bytes(byte[] value) implements TlvValue {
        public Bytes {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Bytes[" + value.length + "]";
        }
    }

    record Null() implements TlvValue {
    }

    /** A structure, an array or a list, with its members in the order they were written. */
    record Container(Kind kind, List<TlvElement> members) implements TlvValue {
        public enum Kind { STRUCTURE, ARRAY, LIST }

        public Container {
            members = List.copyOf(members);
        }
    }
}
