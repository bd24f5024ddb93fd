package io.hallmark.core.publication;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a host in a URL names the machine it is read on: {@code localhost} and {@code *.localhost}
 * (RFC 6761 §6.3), 127.0.0.0/8 and ::1, and the unspecified 0.0.0.0 and :: (which name no host at all). Decided from the
 * text alone: a DNS name is never resolved, so the answer is the same on every node and offline.
 */
public final class LoopbackHosts {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private LoopbackHosts() {
    }

    public static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) return false;
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (h.equals("localhost") || h.endsWith(".localhost")) return true;
        var v4 = IPV4.matcher(h);
        if (v4.matches()) return v4.group(1).equals("127") || h.equals("0.0.0.0");
        if (h.indexOf(':') >= 0) {
            int zone = h.indexOf('%');
            String literal = zone < 0 ? h : h.substring(0, zone);
            if (!literal.matches("[0-9a-f:.]+")) return false;
            try {
                // An address with a colon is parsed as an IPv6 literal, never looked up (a bad one is refused).
                var address = java.net.InetAddress.getByName(literal);
                return address.isLoopbackAddress() || address.isAnyLocalAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
