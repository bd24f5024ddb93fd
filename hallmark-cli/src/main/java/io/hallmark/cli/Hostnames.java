package io.hallmark.cli;

import io.hallmark.core.error.HallmarkException;

import java.util.Locale;
import java.util.regex.Pattern;

/** A host name as an operator types it for others to reach: a DNS name (RFC 1123 labels) or an IP address literal. */
final class Hostnames {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private Hostnames() {
    }

    /** The name, lowercased, without a trailing dot or IPv6 brackets; a one-line refusal naming the option otherwise. */
    static String require(String text, String option) {
        String h = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (h.contains("://") || h.contains("/")) {
            throw HallmarkException.badInput(option + " takes a host name such as pki.example.com, not a URL ('" + text + "'); the URL is made from it");
        }
        if (IPV4.matcher(h).matches()) return h;
        if (h.contains(":")) {
            if (h.matches("[0-9a-f:.]+")) {
                try {
                    java.net.InetAddress.getByName(h); // a literal with a colon is parsed, never looked up
                    return h;
                } catch (java.net.UnknownHostException e) {
                    // falls through to the refusal
                }
            }
            throw HallmarkException.badInput(option + " '" + text + "' is neither a DNS name nor an IP address (give the port in --listen and --http-listen)");
        }
        boolean dns = !h.isEmpty() && h.length() <= 253 && !h.matches("[0-9.]+");
        for (String label : h.split("\\.", -1)) {
            dns &= LABEL.matcher(label).matches();
        }
        if (!dns) {
            throw HallmarkException.badInput(option + " '" + text + "' is not a DNS name (letters, digits and '-' in dot-separated labels) or an IP address");
        }
        return h;
    }
}
