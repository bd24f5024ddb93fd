package io.hallmark.cli.backup;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.store.transfer.CopyReport;
import io.hallmark.store.transfer.Database;
import io.hallmark.store.transfer.SqliteSnapshot;
import io.hallmark.store.transfer.StoreCopy;
import io.hallmark.store.transfer.StoreSummary;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a backup of an installation while it may be serving: first a consistent snapshot of the store (SQLite:
 * {@code VACUUM INTO}; PostgreSQL: a copy into a SQLite file read in one REPEATABLE READ transaction, the
 * format {@code hallmark migrate} writes, so a backup restores into either), then the key vault's files (read
 * after the snapshot, so every key the snapshot's CAs name is there, and a key made meanwhile is merely extra),
 * then the manifest. Never the vault passphrase.
 */
public final class Backup {

    /**
     * @param file         the backup written
     * @param sha256       its checksum (also its last bytes): keep it with the backup's records
     * @param size         bytes
     * @param manifest     what it holds
     * @param missingKeys  CA key references whose files were not in the keys directory (the backup cannot sign for them)
     * @param sourceChanged PostgreSQL only: the source recorded something after the snapshot (normal while serving)
     */
    public record Result(Path file, String sha256, long size, Manifest manifest, List<String> missingKeys, boolean sourceChanged) {
    }

    private Backup() {
    }

    /**
     * @param keysDir    the vault's directory ({@code DATA/keys})
     * @param exclude    files never to include (the passphrase file, wherever it is)
     * @param version    this Hallmark's version, for the manifest
     */
    public static Result write(Database source, Path keysDir, Set<Path> exclude, Path out, String version, StoreCopy.Listener progress) {
        Path target = out.toAbsolutePath();
        if (Files.exists(target)) {
            throw HallmarkException.conflict(target + " already exists: a backup never replaces a file, choose another name");
        }
        StoreCopy.requireInstallation(source); // before anything is created next to the backup file
        Path staging = Staging.create(target.getParent(), "." + target.getFileName() + ".");
        try {
            Path db = staging.resolve(BackupArchive.DATABASE);
            Database snapshot = Database.of("jdbc:sqlite:" + db);
            boolean changed = false;
            if (source.sqlite()) {
                SqliteSnapshot.write(source, db);
            } else {
                CopyReport copy = StoreCopy.copy(source, snapshot, progress);
                if (!copy.verified()) {
                    throw new BackupDamagedException("the snapshot of " + source.describe() + " did not verify: " + String.join("; ", copy.problems()));
                }
                changed = copy.sourceChanged();
            }
            StoreSummary summary = StoreSummary.of(snapshot);
            List<Path> keys = KeyFiles.list(keysDir, exclude);
            List<String> missing = KeyFiles.missing(summary.caKeys(), keys.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet()));

            Path archive = staging.resolve("backup.zip");
            List<Manifest.Entry> entries = new ArrayList<>();
            Manifest manifest;
            try (OutputStream file = Files.newOutputStream(Files.createFile(archive, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))), StandardOpenOption.WRITE);
                 ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(file, 1 << 16))) {
                zip.setComment(BackupArchive.PLACEHOLDER_COMMENT);
                entries.add(put(zip, BackupArchive.DATABASE, db));
                for (Path key : keys) {
                    entries.add(put(zip, BackupArchive.KEYS + key.getFileName(), key));
                }
                manifest = new Manifest(Manifest.FORMAT, version, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), source.describe(),
                        summary.schemaVersion(), summary.rows(), new Manifest.Audit(summary.auditSeq(), summary.auditHash()), summary.caKeys(),
                        List.copyOf(entries), false);
                zip.putNextEntry(new ZipEntry(BackupArchive.MANIFEST));
                zip.write(manifest.toJson());
                zip.closeEntry();
            }
            String sha256 = BackupArchive.seal(archive);
            long size = Files.size(archive);
            Files.move(archive, target); // the name appears only once the backup is complete; never replaces a file
            return new Result(target, sha256, size, manifest, missing, changed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            Staging.delete(staging);
        }
    }

    private static Manifest.Entry put(ZipOutputStream zip, String name, Path file) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        BackupArchive.Hashed h;
        try (InputStream in = Files.newInputStream(file)) {
            h = BackupArchive.copy(in, zip);
        }
        zip.closeEntry();
        return new Manifest.Entry(name, h.size(), h.sha256());
    }
}
