package io.hallmark.core.matter.tlv;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a TLV element in the shortest form of every integer, length and tag, the form {@link TlvReader} requires
 * and the Matter SDK's writer produces, so that reading and writing again are exact inverses.
 */
public final class TlvWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

    private TlvWriter() {
    }

    public static byte[] write(TlvElement element) {
        TlvWriter writer = new TlvWriter();
        writer.element(element);
        return writer.out.toByteArray();
    }

    private void element(TlvElement e) {
        switch (e.value()) {
            case TlvValue.UnsignedInt u -> {
                int width = unsignedWidth(u.value());
                head(e.tag(), 0x04 + log2(width));
                little(u.value(), width);
            }
            case TlvValue.SignedInt s -> {
                int width = signedWidth(s.value());
                head(e.tag(), log2(width));
                little(s.value(), width);
            }
            case TlvValue.Bool b -> head(e.tag(), b.value() ? 0x09 : 0x08);
            case TlvValue.FloatingPoint f -> {
                head(e.tag(), f.isDouble() ? 0x0b : 0x0a);
                little(f.bits(), f.isDouble() ? 8 : 4);
            }
            case TlvValue.Utf8 s -> string(e.tag(), 0x0c, s.value().getBytes(StandardCharsets.UTF_8));
            case TlvValue.Bytes b -> string(e.tag(), 0x10, b.value());
            case TlvValue.Null n -> head(e.tag(), 0x14);
            case TlvValue.Container c -> {
                head(e.tag(), switch (c.kind()) {
                    case STRUCTURE -> 0x15;
                    case ARRAY -> 0x16;
                    case LIST -> 0x17;
                });
                c.members().forEach(this::element);
                out.write(0x18);
            }
        }
    }

    private void string(TlvTag tag, int baseType, byte[] bytes) {
        int width = unsignedWidth(bytes.length);
        head(tag, baseType + log2(width));
        little(bytes.length, width);
        out.writeBytes(bytes);
    }

    private void head(TlvTag tag, int type) {
        long n = tag.number();
        boolean small = n <= 0xffff;
        switch (tag.form()) {
            case ANONYMOUS -> out.write(type);
            case CONTEXT -> {
                out.write(0x20 | type);
                out.write((int) n);
            }
            case COMMON_PROFILE -> {
                out.write((small ? 0x40 : 0x60) | type);
                little(n, small ? 2 : 4);
            }
            case IMPLICIT_PROFILE -> {
                out.write((small ? 0x80 : 0xa0) | type);
                little(n, small ? 2 : 4);
            }
            case FULLY_QUALIFIED -> {
                out.write((small ? 0xc0 : 0xe0) | type);
                little(tag.profile(), 4);
                little(n, small ? 2 : 4);
            }
        }
    }

    private void little(long v, int width) {
        for (int i = 0; i < width; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    private static int unsignedWidth(long v) {
        if (Long.compareUnsigned(v, 0xffL) <= 0) return 1;
        if (Long.compareUnsigned(v, 0xffffL) <= 0) return 2;
        if (Long.compareUnsigned(v, 0xffffffffL) <= 0) return 4;
        return 8;
    }

    private static int signedWidth(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) return 1;
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) return 2;
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 4;
        return 8;
    }

    private static int log2(int width) {
        return Integer.numberOfTrailingZeros(width);
    }
}
