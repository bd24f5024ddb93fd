package io.hallmark.core.error;

import java.util.regex.Pattern;

/**
 * Why a parser (BouncyCastle's, the JDK's) refused bytes, in a form fit for a refusal's reason: its message's first
 * line without the Java exception names parsers put there ({@code java.io.IOException: ObjectIdentifier() -- ...}), and
 * a plain word where the message is nothing but a class name (an {@code EOFException} without a message). Refusals
 * reach clients as HTTP reasons, which must not read like a stack trace (found by fuzzing the server's readers).
 */
public final class ParseFailure {

    /** A Java class named anywhere in the text (BouncyCastle says "unknown object in getInstance: org.bouncycastle..."). */
    private static final Pattern QUALIFIED = Pattern.compile("\\b(?:[a-z_][\\w$]*\\.){2,}[A-Z][\\w$]*");
    private static final Pattern CLASS_PREFIX = Pattern.compile("^(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*(?:: ?|$)");

    private ParseFailure() {
    }

    public static String reason(Throwable e) {
        if (e instanceof java.io.EOFException) return "truncated";
        String m = e.getMessage();
        if (m == null || m.isBlank()) return "malformed";
        String line = m.strip().lines().findFirst().orElse("");
        for (String before = null; !line.equals(before); ) {
            before = line;
            line = CLASS_PREFIX.matcher(line).replaceFirst("").strip();
        }
        if (line.isEmpty() || line.contains("Exception") || QUALIFIED.matcher(line).find()) return "malformed";
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }
}
