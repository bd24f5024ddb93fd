package io.hallmark.core.matter;

import io.hallmark.core.error.HallmarkException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The operational ids a NOC's subject carries, checked as the Matter Core Specification defines them (§2.5.5 node
 * ids, §2.5.1 fabric ids, §6.6.2.1.2 CASE Authenticated Tags): parsed from what an operator types, written as the
 * upper-case hex a Matter DN attribute holds.
 */
public final class FabricIds {

    private FabricIds() {
    }

    /** The largest operational node id; 0xFFFFFFF0_00000000 and above are group, temporary and reserved ids. */
    public static final long MAX_OPERATIONAL_NODE_ID = 0xFFFFFFEF_FFFFFFFFL;
    /** At most three CATs in a NOC (§6.6.2.1.2). */
    public static final int MAX_CATS = 3;

    /** A fabric id: 64 bits, not 0 (§2.5.1). */
    public static long fabricId(String text) {
        long id = parse64(text, "fabric id");
        if (id == 0) throw HallmarkException.badInput("fabric id 0 is reserved in Matter; a fabric id is non-zero (Matter Core Specification 2.5.1)");
        return id;
    }

    /** An operational node id: 0x0000000000000001 to 0xFFFFFFEFFFFFFFFF (§2.5.5). */
    public static long nodeId(String text) {
        long id = parse64(text, "node id");
        if (id == 0 || Long.compareUnsigned(id, MAX_OPERATIONAL_NODE_ID) > 0) {
            throw HallmarkException.badInput("node id " + hex64(id) + " is outside the operational range 0000000000000001 to FFFFFFEFFFFFFFFF"
                    + " (Matter Core Specification 2.5.5); a NOC names an operational node");
        }
        return id;
    }

    /**
     * CASE Authenticated Tags: 32 bits each, the upper 16 the identifier, the lower 16 the version, which is never 0;
     * at most three, no two with the same identifier (§6.6.2.1.2).
     */
    public static List<Integer> cats(List<String> texts) {
        if (texts.size() > MAX_CATS) {
            throw HallmarkException.badInput(texts.size() + " CASE Authenticated Tags given; a NOC carries at most " + MAX_CATS
                    + " (Matter Core Specification 6.6.2.1.2)");
        }
        List<Integer> cats = new ArrayList<>();
        Set<Integer> identifiers = new HashSet<>();
        for (String text : texts) {
            String hex = strip(text);
            if (!hex.matches("[0-9A-Fa-f]{1,8}")) {
                throw HallmarkException.badInput("CAT '" + text + "' is not a 32-bit hex number (up to 8 hex digits, e.g. 00010001)");
            }
            int cat = (int) Long.parseLong(hex, 16);
            if ((cat & 0xFFFF) == 0) {
                throw HallmarkException.badInput("CAT " + hex32(cat) + " has version 0, which is invalid (Matter Core Specification 6.6.2.1.2)");
            }
            if (!identifiers.add(cat >>> 16)) {
                throw HallmarkException.badInput("two CATs with identifier " + String.format(Locale.ROOT, "%04X", cat >>> 16)
                        + "; a NOC carries at most one version of each (Matter Core Specification 6.6.2.1.2)");
            }
            cats.add(cat);
        }
        return cats;
    }

    public static String hex64(long id) {
        return String.format(Locale.ROOT, "%016X", id);
    }

    public static String hex32(int id) {
        return String.format(Locale.ROOT, "%08X", id);
    }

    private static long parse64(String text, String what) {
        String hex = strip(text);
        if (!hex.matches("[0-9A-Fa-f]{1,16}")) {
            throw HallmarkException.badInput(what + " '" + text + "' is not a 64-bit hex number (up to 16 hex digits)");
        }
        return HexFormat.fromHexDigitsToLong(hex);
    }

    private static String strip(String text) {
        String t = text == null ? "" : text.strip();
        return t.regionMatches(true, 0, "0x", 0, 2) ? t.substring(2) : t;
    }
}
