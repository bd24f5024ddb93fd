package io.hallmark.testing;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code pkcs11-tool -O}'s listing: one block per object, its header line then its indented attributes. */
public final class Pkcs11ToolListing {

    private Pkcs11ToolListing() {
    }

    /** The blocks of the listing that start with {@code header} ("Private Key Object", "Certificate Object"). */
    public static List<String> blocks(String listing, String header) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : listing.split("\n")) {
            if (!line.startsWith(" ") && !line.startsWith("\t")) {
                if (current != null) out.add(current.toString());
                current = line.startsWith(header) ? new StringBuilder(line).append('\n') : null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) out.add(current.toString());
        return out;
    }
}
