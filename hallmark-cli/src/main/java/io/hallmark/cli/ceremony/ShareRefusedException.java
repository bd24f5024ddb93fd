package io.hallmark.cli.ceremony;

/**
 * A share or a backup that fails a check: damaged (its checksum), of another ceremony, or not the share the ceremony
 * recorded. Nothing was restored. The command line exits with the integrity code (7), as for a damaged backup.
 */
public final class ShareRefusedException extends RuntimeException {

    public ShareRefusedException(String message) {
        super(message);
    }
}
