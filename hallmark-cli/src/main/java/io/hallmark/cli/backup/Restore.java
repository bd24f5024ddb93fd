package io.hallmark.cli.backup;

import io.hallmark.core.audit.AuditVerification;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.store.JdbcStore;
import io.hallmark.store.transfer.CopyReport;
import io.hallmark.store.transfer.Database;
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
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Restores a backup into a new data directory, and into an empty PostgreSQL database if one is named. Checks
 * come first and nothing is put in place unless all pass: the file's checksum, the manifest's format and list of
 * entries, each entry's SHA-256 and size, the database's row counts and audit head against the manifest, and the
 * audit chain itself (on the restored PostgreSQL database: everything {@code hallmark migrate} verifies).
 */
public final class Restore {

    private static final int MAX_MANIFEST = 1 << 20;

    /**
     * @param dataDir  the new data directory (keys/, and hallmark.db unless restored into PostgreSQL)
     * @param database where the store now is
     * @param sha256   the backup file's checksum
     * @param manifest what the backup said it holds, all of which was found
     * @param audit    the restored chain's verification
     * @param keys     key files restored
     */
    public record Result(Path dataDir, String database, String sha256, Manifest manifest, AuditVerification audit, int keys) {
    }

    private Restore() {
    }

    /** @param dbUrl a PostgreSQL URL to restore the store into, or null for SQLite in {@code dataDir} */
    public static Result restore(Path in, Path dataDir, String dbUrl, StoreCopy.Listener progress) {
        Path target = dataDir.toAbsolutePath().normalize();
        requireNewDirectory(target);
        Database database = dbUrl == null || dbUrl.isBlank() ? Database.inDirectory(target) : Database.of(dbUrl);
        if (!database.sqlite()) {
            StoreCopy.requireEmptyTarget(database);
        } else if (!database.sqliteFile().startsWith(target)) {
            throw HallmarkException.badInput("restore puts a SQLite database into its data directory (--data); give --db only for PostgreSQL");
        }
        if (!Files.isRegularFile(in)) {
            throw HallmarkException.notFound("no backup file " + in);
        }
        String sha256 = BackupArchive.verify(in);
        Path staging = Staging.create(target.getParent(), "." + target.getFileName() + ".restoring-");
        try {
            Manifest manifest = extract(in, staging);
            Database snapshot = Database.of("jdbc:sqlite:" + staging.resolve(BackupArchive.DATABASE));
            requireAsRecorded(StoreSummary.of(snapshot), manifest);
            AuditVerification audit;
            if (database.sqlite()) {
                // Opening brings a backup of an older version up to this version's schema, as at any start.
                try (JdbcStore store = JdbcStore.open(snapshot.url())) {
                    audit = store.read(tx -> tx.audit().verify());
                }
                if (!audit.intact()) {
                    throw new BackupDamagedException("its audit chain is broken at entry " + audit.brokenAt() + ": " + audit.problem());
                }
            } else {
                CopyReport copy = StoreCopy.copy(snapshot, database, progress);
                if (!copy.verified()) {
                    throw new BackupDamagedException("the copy into " + database.describe() + " did not verify, nothing was kept: "
                            + String.join("; ", copy.problems()));
                }
                try (JdbcStore store = JdbcStore.open(database.url())) {
                    audit = store.read(tx -> tx.audit().verify());
                }
                for (String suffix : new String[]{"", "-wal", "-shm"}) {
                    Files.deleteIfExists(staging.resolve(BackupArchive.DATABASE + suffix)); // the store is in PostgreSQL now
                }
            }
            if (!Objects.equals(audit.headHash(), manifest.audit().hash())) {
                throw new BackupDamagedException("the restored audit chain ends at " + audit.headHash() + ", not at the manifest's " + manifest.audit().hash());
            }
            if (Files.isDirectory(target)) {
                Files.delete(target); // empty (checked above); the staging directory takes its place
            }
            Files.move(staging, target);
            int keys = (int) manifest.entries().stream().filter(e -> e.name().startsWith(BackupArchive.KEYS)).count();
            return new Result(target, database.describe(), sha256, manifest, audit, keys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore into " + target + ": " + e.getMessage(), e);
        } finally {
            Staging.delete(staging);
        }
    }

    private static void requireNewDirectory(Path target) {
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) {
                throw HallmarkException.conflict(target + " exists and is not a directory: restore only into a new or empty directory");
            }
            try (var entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw HallmarkException.conflict(target + " is not empty: restore only into a new or empty directory, nothing was changed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + target + ": " + e.getMessage(), e);
            }
        }
    }

    /** Reads the manifest, then extracts exactly the entries it lists, each checked against its hash and size. */
    private static Manifest extract(Path in, Path staging) throws IOException {
        try (ZipFile zip = new ZipFile(in.toFile())) {
            ZipEntry m = zip.getEntry(BackupArchive.MANIFEST);
            if (m == null) {
                throw new BackupDamagedException("it has no " + BackupArchive.MANIFEST);
            }
            Manifest manifest;
            try (InputStream s = zip.getInputStream(m)) {
                byte[] json = s.readNBytes(MAX_MANIFEST + 1);
                if (json.length > MAX_MANIFEST) throw new BackupDamagedException("its manifest is larger than " + MAX_MANIFEST + " bytes");
                manifest = Manifest.parse(json);
            }
            if (!Manifest.FORMAT.equals(manifest.format())) {
                throw new BackupDamagedException("its format is '" + manifest.format() + "'; this version reads " + Manifest.FORMAT);
            }
            if (manifest.passphraseIncluded()) {
                throw new BackupDamagedException("its manifest says it holds a passphrase, which no Hallmark backup does");
            }
            Set<String> listed = new HashSet<>();
            boolean database = false;
            for (Manifest.Entry e : manifest.entries()) {
                String name = e.name();
                boolean ok = name.equals(BackupArchive.DATABASE)
                        || name.startsWith(BackupArchive.KEYS) && BackupArchive.KEY_FILE.matcher(name.substring(BackupArchive.KEYS.length())).matches();
                if (!ok || !listed.add(name)) {
                    throw new BackupDamagedException("its manifest lists an entry it may not hold: '" + name + "'");
                }
                database |= name.equals(BackupArchive.DATABASE);
            }
            if (!database) {
                throw new BackupDamagedException("it holds no " + BackupArchive.DATABASE);
            }
            for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
                String name = all.nextElement().getName();
                if (!name.equals(BackupArchive.MANIFEST) && !listed.contains(name)) {
                    throw new BackupDamagedException("it holds an entry its manifest does not list: '" + name + "'");
                }
            }
            Files.createDirectory(staging.resolve("keys"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            for (Manifest.Entry e : manifest.entries()) {
                ZipEntry entry = zip.getEntry(e.name());
                if (entry == null) {
                    throw new BackupDamagedException("its manifest lists " + e.name() + ", which it does not hold");
                }
                Path file = staging.resolve(e.name()); // names checked above: hallmark.db or keys/NAME
                BackupArchive.Hashed h;
                try (InputStream s = zip.getInputStream(entry);
                     OutputStream out = Files.newOutputStream(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                             PosixFilePermissions.fromString("rw-------"))), StandardOpenOption.WRITE)) {
                    h = BackupArchive.copy(s, out);
                }
                if (!h.sha256().equals(e.sha256()) || h.size() != e.size()) {
                    throw new BackupDamagedException(e.name() + " in it does not match the manifest's hash: it was changed or damaged");
                }
            }
            return manifest;
        } catch (java.util.zip.ZipException e) {
            throw new BackupDamagedException("it is not a readable zip archive: " + e.getMessage(), e);
        }
    }

    private static void requireAsRecorded(StoreSummary found, Manifest manifest) {
        if (!found.rows().equals(Map.copyOf(manifest.rows()))) {
            throw new BackupDamagedException("its database's row counts " + found.rows() + " are not the manifest's " + manifest.rows());
        }
        if (found.auditSeq() != manifest.audit().seq() || !Objects.equals(found.auditHash(), manifest.audit().hash())) {
            throw new BackupDamagedException("its database's audit head (entry " + found.auditSeq() + ") is not the manifest's (entry " + manifest.audit().seq() + ")");
        }
        if (!found.schemaVersion().equals(manifest.schemaVersion())) {
            throw new BackupDamagedException("its database's schema version " + found.schemaVersion() + " is not the manifest's " + manifest.schemaVersion());
        }
    }

    /** The key references of the restored CAs whose files are missing from the restored keys directory. */
    public static List<String> missingKeys(Result r) {
        return KeyFiles.missing(r.manifest().caKeys(), KeyFiles.names(r.dataDir().resolve("keys")));
    }
}
