package io.hallmark.cli;

/** Exit codes, so scripts can tell a refused request from a broken installation. */
final class ExitCodes {
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int BAD_INPUT = 3;
    static final int NOT_FOUND = 4;
    static final int CONFLICT = 5;
    static final int FORBIDDEN = 6;
    /** `audit verify` found the chain broken. */
    static final int AUDIT_BROKEN = 7;

    private ExitCodes() {
    }
}
