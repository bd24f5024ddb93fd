package io.hallmark.core.error;

import io.hallmark.core.text.SafeText;

/**
 * The one exception type Hallmark's services throw on purpose. The {@link Kind} tells front ends
 * (CLI exit codes, HTTP status codes) what went wrong without parsing messages; the message is a
 * single line meant for the person who made the request. Messages often quote what was sent (a serial
 * number, a file name), so control characters in them are escaped here ({@link SafeText#escape}): no
 * error line on a terminal, in an HTTP reason or in a log can be broken or carry a terminal escape.
 */
public final class HallmarkException extends RuntimeException {

    public enum Kind {
        /** The request itself is wrong: malformed input, weak key, unknown name. */
        BAD_INPUT,
        /** Something named in the request does not exist. */
        NOT_FOUND,
        /** The request contradicts what is already recorded (a second identity for one device). */
        CONFLICT,
        /** The caller did not say who it is (or said it in a way that could not be checked). */
        UNAUTHENTICATED,
        /** The caller is known but not allowed to do this. */
        FORBIDDEN,
        /**
         * Something Hallmark needs could not be reached: its database, or the server a client command talks to
         * (nothing answers at the address, or its name does not resolve). Nothing was done; the same request may
         * succeed once it is back, which is what tells it apart from {@link #INTERNAL}.
         */
        UNAVAILABLE,
        /** Hallmark failed; nothing was handed out. */
        INTERNAL,
        /** The installation was written by a newer Hallmark (a database schema this build does not know): nothing was touched. */
        INCOMPATIBLE
    }

    private final Kind kind;

    public HallmarkException(Kind kind, String message) {
        super(SafeText.escape(message));
        this.kind = kind;
    }

    public HallmarkException(Kind kind, String message, Throwable cause) {
        super(SafeText.escape(message), cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static HallmarkException badInput(String message) {
        return new HallmarkException(Kind.BAD_INPUT, message);
    }

    public static HallmarkException notFound(String message) {
        return new HallmarkException(Kind.NOT_FOUND, message);
    }

    public static HallmarkException forbidden(String message) {
        return new HallmarkException(Kind.FORBIDDEN, message);
    }

    public static HallmarkException unauthenticated(String message) {
        return new HallmarkException(Kind.UNAUTHENTICATED, message);
    }

    public static HallmarkException conflict(String message) {
        return new HallmarkException(Kind.CONFLICT, message);
    }

    public static HallmarkException unavailable(String message, Throwable cause) {
        return new HallmarkException(Kind.UNAVAILABLE, message, cause);
    }
}
