package io.hallmark.core.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafeTextTest {

    @Test
    void escapesControlsBidiAndSeparatorsAndNothingElse() {
        assertEquals("x\\x1b[2J\\x1b[31mFAKE\\nline\\ttab\\r\\x00\\x7f\\x9b\\u202egnp.exe\\u2066\\u2028\\u2029\\u061c\\u200e",
                SafeText.escape("x\u001b[2J\u001b[31mFAKE\nline\ttab\r\u0000\u007f\u009b\u202egnp.exe\u2066\u2028\u2029\u061c\u200e"));
        String ordinary = "CN=M\u00fcnchen \u6e29\u5ea6\u8a08 \ud83d\ude00,O=Acme\\, Inc.";
        assertSame(ordinary, SafeText.escape(ordinary), "nothing to escape: the same string, not a copy");
        assertNull(SafeText.escape(null));
        assertEquals(-1, SafeText.firstUnsafe(ordinary));
        assertEquals(3, SafeText.firstUnsafe("abc\u0085"));
        assertEquals("U+001B", SafeText.codePoint(0x1b));
    }

    @Test
    void jsonEscapesWriteEveryUnsafeCharacterAsAnEscapeAndReadBackExact() throws Exception {
        ObjectMapper plain = new ObjectMapper();
        ObjectMapper safe = new ObjectMapper();
        safe.getFactory().setCharacterEscapes(SafeText.jsonEscapes());
        String value = "a\u001b[2J\u007f\u009b\u202e\u2028\u00fc\u6e29\ud83d\ude00";
        String json = safe.writeValueAsString(Map.of("subject", value));
        assertEquals(-1, SafeText.firstUnsafe(json), json);
        assertTrue(json.contains("\\u009b") && json.contains("\\u202e") && json.contains("\\u007F") && json.contains("\u00fc\u6e29"), json);
        assertEquals(value, plain.readTree(json).get("subject").asText());
        // Jackson alone escapes the C0 controls only: this is what the escapes add.
        assertNotEquals(-1, SafeText.firstUnsafe(plain.writeValueAsString(Map.of("subject", value))));
    }

    @Test
    void hallmarkExceptionMessagesAreEscapedWhereverTheyGo() {
        HallmarkException e = HallmarkException.badInput("serial number 'x\u001b[2J\nforged' is not printable");
        assertEquals("serial number 'x\\x1b[2J\\nforged' is not printable", e.getMessage());
    }
}
