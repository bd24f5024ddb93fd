package io.hallmark.core.inventory;

import io.hallmark.core.error.HallmarkException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The opaque position of an inventory page: where the next page starts. Callers pass it back as they got it;
 * what it holds (today the last serial listed) may change, so it is versioned and checked, never trusted.
 */
public final class InventoryCursor {

    private static final String VERSION = "1:";
    private static final Pattern SERIAL = Pattern.compile("[0-9a-f]{1,40}");

    private InventoryCursor() {
    }

    public static String after(String serial) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((VERSION + serial).getBytes(StandardCharsets.US_ASCII));
    }

    /** The serial {@code cursor} continues after; null for a null or empty cursor (the first page). */
    public static String serialOf(String cursor) {
        if (cursor == null || cursor.isEmpty()) return null;
        String text;
        try {
            text = cursor.length() > 80 ? "" : new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            text = "";
        }
        if (!text.startsWith(VERSION) || !SERIAL.matcher(text.substring(VERSION.length())).matches()) {
            throw HallmarkException.badInput("invalid cursor: pass back the 'next' value of the previous page unchanged");
        }
        return text.substring(VERSION.length());
    }
}
