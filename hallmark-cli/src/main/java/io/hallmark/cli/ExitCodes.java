package io.hallmark.cli;

/** Exit codes, so scripts can tell a refused request from a broken installation ({@code hallmark --help} lists them). */
public final class ExitCodes {
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int BAD_INPUT = 3;
    public static final int NOT_FOUND = 4;
    public static final int CONFLICT = 5;
    public static final int FORBIDDEN = 6;
    /**
     * `audit verify` found the chain broken, or the log does not extend a signed checkpoint (`--checkpoint`); also a damaged
     * backup or copy, and a damaged, foreign or altered ceremony share; a Matter device attestation chain that
     * {@code matter verify-dac} refuses (the check ran and the certificates failed it, as with {@code cert verify}).
     */
    public static final int AUDIT_BROKEN = 7;
    /** The database was written by a newer Hallmark (its schema is newer than this build knows): upgrade, or restore a backup. */
    public static final int NEWER_INSTALLATION = 9;
    /**
     * Something needed could not be reached: the database ({@code --db}), or the server a client command talks to
     * (the device agent, a remote factory run). Nothing was done; trying again later may work, unlike 1.
     */
    public static final int UNAVAILABLE = 8;

    private ExitCodes() {
    }
}
