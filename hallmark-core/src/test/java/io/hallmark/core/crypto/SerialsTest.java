package io.hallmark.core.crypto;

import io.hallmark.core.HallmarkException;
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
