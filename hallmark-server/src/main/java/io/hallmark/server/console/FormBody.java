package io.hallmark.server.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** An application/x-www-form-urlencoded body (or query string): the first value of each name. */
final class FormBody {

    private FormBody() {
    }

    static Map<String, String> parse(String encoded) {
        Map<String, String> out = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) return out;
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            out.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new io.hallmark.server.http.HttpError(400, "malformed form field");
        }
    }

    /** The value of cookie {@code name} in a Cookie header, or null. */
    static String cookie(String header, String name) {
        if (header == null) return null;
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(name + "=")) return p.substring(name.length() + 1);
        }
        return null;
    }
}
