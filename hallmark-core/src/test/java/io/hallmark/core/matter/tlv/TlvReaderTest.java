package io.hallmark.core.matter.tlv;

import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generic reader and writer: what the TLV encoding (Matter Core Specification, Appendix A) allows, and what a strict reader refuses. */
class TlvReaderTest {

    private static final TlvReader.Limits LIMITS = new TlvReader.Limits(4, 1024);

    private static TlvElement read(String hex) {
        return TlvReader.read(HexFormat.of().parseHex(hex), LIMITS);
    }

    private static void refused(String hex, String reason) {
        HallmarkException e = assertThrows(HallmarkException.class, () -> read(hex));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }

    @Test
    void readsEveryElementTypeAndWritesTheSameBytes() {
        // A structure with: context 1 uint8 42, context 2 int16 -300, context 3 true, context 4 utf8 "hé",
        // context 5 bytes 0102, context 6 null, context 7 float 1.0, common-profile tag 0x1234 uint64 2^40,
        // fully qualified tag (vendor FFF1 profile DEED, tag 1) false, context 8 array [uint8 1], context 9 list [context 1 uint8 2].
        String hex = "15" + "24012a" + "2102d4fe" + "2903" + "2c0403" + "68c3a9" + "300502" + "0102" + "3406" + "2a070000803f"
                + "473412" + "0000000000010000" + "c8f1ffedde0100" + "36080401" + "18" + "3709" + "240102" + "18" + "18";
        byte[] bytes = HexFormat.of().parseHex(hex);
        TlvElement top = TlvReader.read(bytes, LIMITS);

        TlvValue.Container s = (TlvValue.Container) top.value();
        assertEquals(11, s.members().size());
        assertEquals(new TlvValue.UnsignedInt(42), s.members().get(0).value());
        assertEquals(new TlvValue.SignedInt(-300), s.members().get(1).value());
        assertEquals(new TlvValue.Utf8("hé"), s.members().get(3).value());
        assertEquals(new TlvTag(TlvTag.Form.COMMON_PROFILE, 0, 0x1234), s.members().get(7).tag());
        assertEquals(new TlvValue.UnsignedInt(1L << 40), s.members().get(7).value());
        assertEquals(new TlvTag(TlvTag.Form.FULLY_QUALIFIED, 0xDEEDFFF1L, 1), s.members().get(8).tag());
        assertArrayEquals(bytes, TlvWriter.write(top));
    }

    @Test
    void truncatedInputAndLengthsBeyondIt() {
        refused("", "empty input");
        refused("15", "truncated");
        refused("1524", "truncated");
        refused("152501", "truncated: 2 bytes needed");
        refused("153001ff0102", "length 255 runs past the end of the input");
        refused("15330100000000000000010018", "length");
    }

    @Test
    void trailingBytesAndStrayEndMarkers() {
        refused("151800", "1 trailing bytes after the element");
        refused("18", "end-of-container outside any container");
        refused("153818", "end-of-container with a tag");
    }

    @Test
    void nestingDeeperThanAllowed() {
        read("153601171718181818");
        refused("153601171717181818" + "18", "containers nested 5 deep, more than the 4 allowed");
    }

    @Test
    void tagsWhereTheEncodingDoesNotAllowThem() {
        refused("2401" + "00", "a context tag outside any structure or list");
        refused("1504" + "0118", "structure member without a tag");
        refused("16240101" + "18", "array member with a context tag 1");
        refused("15240101240102" + "18", "structure holds context tag 1 twice");
        refused("1f", "reserved element type 0x1f");
    }

    @Test
    void nonShortestFormsAreRefusedSoThatWritingGivesTheSameBytes() {
        refused("15250101001" + "8", "2-byte unsigned integer 1 where 1 bytes hold it");
        refused("152101010018", "2-byte signed integer 1 where 1 bytes hold it");
        refused("1531010100" + "0118", "2-byte length 1 where 1 bytes hold it");
        refused("156401000000000018", "4-byte tag number 1 where 2 bytes hold it");
    }

    @Test
    void invalidUtf8IsRefused() {
        refused("152c0102c328" + "18", "not valid UTF-8");
        refused("152c010100" + "18", "NUL");
    }

    @Test
    void writerUsesTheShortestForms() {
        TlvElement e = TlvElement.anonymous(new TlvValue.Container(TlvValue.Container.Kind.LIST, List.of(
                TlvElement.context(1, new TlvValue.UnsignedInt(0xFFFFFFFFL)), TlvElement.context(2, new TlvValue.SignedInt(-129)),
                TlvElement.context(3, new TlvValue.Bytes(new byte[300])))));
        byte[] bytes = TlvWriter.write(e);

        assertEquals("172601ffffffff21027fff31032c01", HexFormat.of().formatHex(bytes, 0, 15));
        assertEquals(e, TlvReader.read(bytes, LIMITS));
    }
}
