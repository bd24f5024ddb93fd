package io.hallmark.core.matter.tlv;

import io.hallmark.core.error.HallmarkException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one Matter TLV element (Matter Core Specification, Appendix A) from a byte array, strictly: the input must
 * hold exactly that element (nothing after it), every length must lie within the input, containers must be closed
 * and nested no deeper than the caller allows, structure members must be tagged and distinct, array members
 * anonymous, context tags only inside a structure or list, and every integer, length and tag in its shortest form,
 * so that {@link TlvWriter} gives back the same bytes. Anything else is a {@link HallmarkException} of kind
 * BAD_INPUT naming the byte offset; no other exception escapes, whatever the input.
 */
public final class TlvReader {

    /** How deep containers may nest (the outermost counts as 1) and how many bytes the input may have. */
    public record Limits(int maxDepth, int maxBytes) {
    }

    private final byte[] in;
    private final Limits limits;
    private int at;

    private TlvReader(byte[] in, Limits limits) {
        this.in = in;
        this.limits = limits;
    }

    public static TlvElement read(byte[] input, Limits limits) {
        if (input.length == 0) throw fail(0, "empty input");
        if (input.length > limits.maxBytes()) {
            throw HallmarkException.badInput("Matter TLV: " + input.length + " bytes, more than the " + limits.maxBytes() + " allowed");
        }
        TlvReader reader = new TlvReader(input, limits);
        TlvElement element = reader.element(Context.TOP, 0);
        if (element == null) throw fail(0, "end-of-container outside any container");
        if (reader.at != input.length) throw fail(reader.at, (input.length - reader.at) + " trailing bytes after the element");
        return element;
    }

    private enum Context { TOP, STRUCTURE, ARRAY, LIST }

    /** The next element, or null at an end-of-container marker. */
    private TlvElement element(Context context, int depth) {
        int start = at;
        int control = u8();
        int type = control & 0x1f;
        int tagControl = control >>> 5;
        if (type == 0x18) {
            if (tagControl != 0) throw fail(start, "end-of-container with a tag");
            if (context == Context.TOP) throw fail(start, "end-of-container outside any container");
            return null;
        }
        TlvTag tag = tag(tagControl, start);
        checkTagAllowed(tag, context, start);
        return new TlvElement(tag, value(type, start, depth));
    }

    private TlvTag tag(int tagControl, int start) {
        return switch (tagControl) {
            case 0 -> TlvTag.ANONYMOUS;
            case 1 -> new TlvTag(TlvTag.Form.CONTEXT, 0, u8());
            case 2 -> new TlvTag(TlvTag.Form.COMMON_PROFILE, 0, unsigned(2));
            case 3 -> new TlvTag(TlvTag.Form.COMMON_PROFILE, 0, minimalTag(unsigned(4), start));
            case 4 -> new TlvTag(TlvTag.Form.IMPLICIT_PROFILE, 0, unsigned(2));
            case 5 -> new TlvTag(TlvTag.Form.IMPLICIT_PROFILE, 0, minimalTag(unsigned(4), start));
            case 6 -> new TlvTag(TlvTag.Form.FULLY_QUALIFIED, unsigned(4), unsigned(2));
            default -> {
                long profile = unsigned(4);
                yield new TlvTag(TlvTag.Form.FULLY_QUALIFIED, profile, minimalTag(unsigned(4), start));
            }
        };
    }

    private static long minimalTag(long number, int start) {
        if (number <= 0xffff) throw fail(start, "4-byte tag number " + number + " where 2 bytes hold it");
        return number;
    }

    private static void checkTagAllowed(TlvTag tag, Context context, int start) {
        switch (context) {
            case ARRAY -> {
                if (tag.form() != TlvTag.Form.ANONYMOUS) throw fail(start, "array member with a " + tag);
            }
            case STRUCTURE -> {
                if (tag.form() == TlvTag.Form.ANONYMOUS) throw fail(start, "structure member without a tag");
            }
            case TOP -> {
                if (tag.form() == TlvTag.Form.CONTEXT) throw fail(start, "a context tag outside any structure or list");
            }
            case LIST -> {
            }
        }
    }

    private TlvValue value(int type, int start, int depth) {
        return switch (type) {
            case 0x00, 0x01, 0x02, 0x03 -> signed(1 << type, start);
            case 0x04, 0x05, 0x06, 0x07 -> unsignedValue(1 << (type - 4), start);
            case 0x08 -> new TlvValue.Bool(false);
            case 0x09 -> new TlvValue.Bool(true);
            case 0x0a -> new TlvValue.FloatingPoint(unsigned(4), false);
            case 0x0b -> new TlvValue.FloatingPoint(unsigned(8), true);
            case 0x0c, 0x0d, 0x0e, 0x0f -> utf8(bytes(1 << (type - 0x0c), start), start);
            case 0x10, 0x11, 0x12, 0x13 -> new TlvValue.Bytes(bytes(1 << (type - 0x10), start));
            case 0x14 -> new TlvValue.Null();
            case 0x15, 0x16, 0x17 -> container(type, start, depth + 1);
            default -> throw fail(start, "reserved element type 0x" + Integer.toHexString(type));
        };
    }

    private TlvValue container(int type, int start, int depth) {
        if (depth > limits.maxDepth()) throw fail(start, "containers nested " + depth + " deep, more than the " + limits.maxDepth() + " allowed");
        TlvValue.Container.Kind kind = switch (type) {
            case 0x15 -> TlvValue.Container.Kind.STRUCTURE;
            case 0x16 -> TlvValue.Container.Kind.ARRAY;
            default -> TlvValue.Container.Kind.LIST;
        };
        Context context = switch (kind) {
            case STRUCTURE -> Context.STRUCTURE;
            case ARRAY -> Context.ARRAY;
            case LIST -> Context.LIST;
        };
        List<TlvElement> members = new ArrayList<>();
        Set<TlvTag> seen = new HashSet<>();
        while (true) {
            int memberStart = at;
            TlvElement member = element(context, depth);
            if (member == null) break;
            if (kind == TlvValue.Container.Kind.STRUCTURE && !seen.add(member.tag())) {
                throw fail(memberStart, "structure holds " + member.tag() + " twice");
            }
            members.add(member);
        }
        return new TlvValue.Container(kind, members);
    }

    private TlvValue signed(int width, int start) {
        long raw = unsigned(width);
        long value = width == 8 ? raw : (raw << (64 - 8 * width)) >> (64 - 8 * width);
        if (width > 1 && value >= -(1L << (4 * width - 1)) && value < (1L << (4 * width - 1))) {
            throw fail(start, width + "-byte signed integer " + value + " where " + width / 2 + " bytes hold it");
        }
        return new TlvValue.SignedInt(value);
    }

    private TlvValue unsignedValue(int width, int start) {
        long value = unsigned(width);
        if (width > 1 && Long.compareUnsigned(value, 1L << (4 * width)) < 0) {
            throw fail(start, width + "-byte unsigned integer " + Long.toUnsignedString(value) + " where " + width / 2 + " bytes hold it");
        }
        return new TlvValue.UnsignedInt(value);
    }

    private byte[] bytes(int lengthWidth, int start) {
        long length = unsigned(lengthWidth);
        if (lengthWidth > 1 && Long.compareUnsigned(length, 1L << (4 * lengthWidth)) < 0) {
            throw fail(start, lengthWidth + "-byte length " + length + " where " + lengthWidth / 2 + " bytes hold it");
        }
        if (Long.compareUnsigned(length, in.length - at) > 0) {
            throw fail(start, "truncated: length " + Long.toUnsignedString(length) + " runs past the end of the input (" + (in.length - at) + " bytes left)");
        }
        byte[] out = java.util.Arrays.copyOfRange(in, at, at + (int) length);
        at += (int) length;
        return out;
    }

    private static TlvValue utf8(byte[] bytes, int start) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            if (s.indexOf('\0') >= 0) throw fail(start, "UTF-8 string holds a NUL character");
            return new TlvValue.Utf8(s);
        } catch (CharacterCodingException e) {
            throw fail(start, "UTF-8 string is not valid UTF-8");
        }
    }

    private int u8() {
        if (at >= in.length) throw fail(at, "truncated: the input ends inside an element");
        return in[at++] & 0xff;
    }

    /** A little-endian unsigned number of {@code width} bytes. */
    private long unsigned(int width) {
        if (in.length - at < width) throw fail(at, "truncated: " + width + " bytes needed, " + (in.length - at) + " left");
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (in[at + i] & 0xff);
        }
        at += width;
        return v;
    }

    private static HallmarkException fail(int offset, String what) {
        return HallmarkException.badInput("Matter TLV: " + what + " (at byte " + offset + ")");
    }
}
