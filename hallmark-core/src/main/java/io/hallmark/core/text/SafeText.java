package io.hallmark.core.text;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The characters that must never reach a terminal or a log line as they are, and how they are shown
 * instead. Text chosen by a device (a CSR's subject, a serial number) or by a partner (a trust anchor's
 * name) ends up in {@code hallmark cert show}, {@code audit list}, error lines and server logs; an ESC there
 * can clear the operator's screen and draw a forged line, a newline can forge a log entry, a bidi override
 * can make {@code exe.txt} read as {@code txt.exe}. Subjects with such characters are refused at issuance
 * ({@link io.hallmark.core.profile.SubjectRules}); whatever was stored before, or comes from elsewhere, is
 * escaped on output with {@link #escape}.
 */
public final class SafeText {

    private SafeText() {
    }

    /**
     * C0 controls (tab and newline included), DEL, C1 controls (U+0080..U+009F: U+009B is an 8-bit CSI to
     * some terminals), the bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
     * U+202A..U+202E, U+2066..U+2069) and the line and paragraph separators (U+2028, U+2029).
     */
    public static boolean isUnsafe(int c) {
        if (c < 0x20) return true;
        if (c < 0x7f) return false; // the common case: printable ASCII, decided in two comparisons
        return c <= 0x9f || c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    /** Index of the first unsafe character of {@code s}, or -1. */
    public static int firstUnsafe(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (isUnsafe(s.charAt(i))) return i;
        }
        return -1;
    }

    /** {@code U+001B}: how messages name a character without containing it. */
    public static String codePoint(int c) {
        return String.format("U+%04X", c);
    }

    /**
     * {@code s} with every unsafe character written out: {@code \n}, {@code \r}, {@code \t}, {@code \xHH} for
     * the other C0, DEL and C1 controls, {@code \}{@code uHHHH} for the rest. The same string when there is
     * nothing to escape (no copy), and null stays null. Backslashes are left alone, so a name that already
     * holds {@code \x1b} as text reads the same as an escaped ESC: the JSON output ({@code --json}) is exact.
     */
    public static String escape(String s) {
        if (s == null) return null;
        int first = firstUnsafe(s);
        if (first < 0) return s;
        StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, first);
        for (int i = first, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (!isUnsafe(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c <= 0x9f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    /**
     * For Jackson generators whose output people read ({@code --json} on a terminal): JSON escapes only
     * the C0 controls by default, so DEL, C1, bidi controls and U+2028/U+2029 would go out raw. These
     * escapes write every {@link #isUnsafe} character as a JSON {@code \}{@code uHHHH} escape; the value
     * read back is unchanged.
     */
    public static CharacterEscapes jsonEscapes() {
        return JsonEscapes.INSTANCE;
    }

    private static final class JsonEscapes extends CharacterEscapes {
        static final JsonEscapes INSTANCE = new JsonEscapes();

        private final int[] ascii;

        private JsonEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return isUnsafe(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
