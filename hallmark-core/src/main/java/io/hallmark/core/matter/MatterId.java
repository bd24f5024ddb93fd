package io.hallmark.core.matter;

import io.hallmark.core.error.HallmarkException;

import java.util.HexFormat;
import java.util.Locale;

/**
 * Vendor and Product IDs as Matter writes them in a subject: four upper-case hex digits (Matter Core Specification
 * §6.2.2.2). Parsed from what an operator types ({@code FFF1}, {@code 0xfff1}), refused with the reason otherwise.
 */
public final class MatterId {

    private MatterId() {
    }

    /** The 16-bit id {@code text} names, checked non-zero (0 is "unspecified" in Matter, never a vendor or product). */
    public static int parse16(String text, String what) {
        String hex = text == null ? "" : text.strip();
        if (hex.regionMatches(true, 0, "0x", 0, 2)) hex = hex.substring(2);
        if (!hex.matches("[0-9A-Fa-f]{1,4}")) {
            throw HallmarkException.badInput(what + " '" + text + "' is not a 16-bit hex number (up to 4 hex digits, e.g. FFF1)");
        }
        int value = HexFormat.fromHexDigits(hex);
        if (value == 0) {
            throw HallmarkException.badInput(what + " 0000 is reserved in Matter (unspecified); give the assigned id");
        }
        return value;
    }

    /** How a subject carries a 16-bit id: {@code FFF1}. */
    public static String hex16(int value) {
        return String.format(Locale.ROOT, "%04X", value);
    }
}
