package io.hallmark.core.crypto;

import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SerialsTest {

    @Test
    void randomSerialsArePositiveAtMostTwentyOctetsAndDistinct() {
        Set<BigInteger> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            BigInteger s = Serials.random();
            assertEquals(1, s.signum(), "serial must be positive: " + s);
            assertTrue(s.bitLength() <= 159, "bit length " + s.bitLength());
            assertTrue(s.toByteArray().length <= 20, "DER content of " + s.toByteArray().length + " octets");
            assertTrue(seen.add(s), "duplicate serial " + s);
        }
    }

    @Test
    void parseAndNormalizeAcceptTheFormsPeopleType() {
        assertEquals(BigInteger.valueOf(0xab), Serials.parse("00ab"));
        assertEquals("ab", Serials.normalize("00ab"));
        assertEquals("ab", Serials.normalize("AB"));
        assertEquals("abcd", Serials.normalize("ab:cd"));
        assertEquals("abcd", Serials.normalize(" 0xAB:CD "));
        assertEquals("f".repeat(40), Serials.normalize("F".repeat(40)));
    }

    @Test
    void hexRoundTrips() {
        BigInteger s = Serials.random();
        assertEquals(s, Serials.parse(Serials.hex(s)));
        assertEquals(Serials.hex(s), Serials.hex(s).toLowerCase());
    }

    @Test
    void hexIsExactlyBigIntegersFormNoLeadingZeros() {
        // Byte-wise hex must drop the sign octet and a leading zero nibble, as toString(16) does.
        for (String v : new String[]{"0", "1", "f", "10", "7f", "80", "ff", "100", "0fff", "8000000000000000000000000000000000000000"}) {
            BigInteger b = new BigInteger(v, 16);
            assertEquals(b.toString(16), Serials.hex(b), v);
        }
        for (int i = 0; i < 10_000; i++) {
            BigInteger r = Serials.random();
            assertEquals(r.toString(16), Serials.hex(r));
        }
        assertEquals("-1f", Serials.hex(BigInteger.valueOf(-31)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "xyz", "0x", "12-34", "0123456789abcdef0123456789abcdef012345678"})
    void parseRejectsWhatIsNotAHexSerial(String text) {
        HallmarkException e = assertThrows(HallmarkException.class, () -> Serials.parse(text));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("not a serial number"), e.getMessage());
    }

    @Test
    void fortyOneHexDigitsAreTooLong() {
        String text = "a".repeat(41);
        assertEquals(41, text.length());
        assertThrows(HallmarkException.class, () -> Serials.parse(text));
    }
}
