package io.hallmark.cli.backup;

/**
 * A backup that fails a check (its checksum, an entry's hash, its manifest, the database it holds): nothing was
 * restored from it. The command line exits with the integrity code (7), as for a broken audit chain.
 */
public final class BackupDamagedException extends RuntimeException {

    public BackupDamagedException(String message) {
        super(message);
    }

    public BackupDamagedException(String message, Throwable cause) {
        super(message, cause);
    }
}
