package io.hallmark.core.profile;

import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidityTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void parsesDurations() {
        assertEquals(Duration.ofDays(30), Validity.parse("30d").duration());
        assertEquals(Duration.ofDays(365), Validity.parse("1y").duration());
        assertEquals(Duration.ofHours(12), Validity.parse("12h").duration());
        assertEquals(Duration.ofMinutes(15), Validity.parse(" 15M ").duration());
        assertFalse(Validity.parse("30d").forever());
        assertEquals(T0.plus(Duration.ofDays(30)), Validity.parse("30d").notAfter(T0));
    }

    @Test
    void foreverMeansNoWellDefinedExpiration() {
        Validity forever = Validity.parse("forever");
        assertSame(Validity.FOREVER, forever);
        assertTrue(forever.forever());
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"), Validity.NO_WELL_DEFINED_EXPIRATION);
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"), forever.notAfter(T0));
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"), Validity.parse("FOREVER").notAfter(Instant.now()));
    }

    @Test
    void printsTheFormItParses() {
        for (String text : new String[]{"30d", "1y", "12h", "90s", "forever"}) {
            assertEquals(text, Validity.parse(text).toString());
            assertEquals(Validity.parse(text), Validity.parse(Validity.parse(text).toString()));
        }
        assertEquals("2y", Validity.parse("730d").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0d", "0y", "abc", "", "30", "d", "-1d", "1w", "1.5y", "1234567d"})
    void rejectsWhatIsNotADuration(String text) {
        HallmarkException e = assertThrows(HallmarkException.class, () -> Validity.parse(text));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains(text.trim()), e.getMessage());
    }
}
