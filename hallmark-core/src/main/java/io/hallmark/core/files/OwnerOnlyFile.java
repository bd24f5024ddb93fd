package io.hallmark.core.files;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Files and directories only their owner may read: secrets (keys, passphrases) written with mode 0600 from
 * the start, never briefly world-readable; and what holds the inventory (data directory, database, logs),
 * created owner-only or, when an older installation left it open to others, narrowed to its owner.
 */
public final class OwnerOnlyFile {

    private OwnerOnlyFile() {
    }

    private static final FileAttribute<?> MODE_0600 = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<?> MODE_0700 = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final Set<PosixFilePermission> OWNER = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE);

    /**
     * Creates {@code dir} (and missing parents) mode 0700, or narrows an existing one to its owner. A
     * directory anyone may write to (like /tmp) is shared, not an installation's own: it is left alone.
     *
     * @return a notice of what was narrowed (see {@link #narrow}) or left alone
     */
    public static Optional<String> directory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, MODE_0700);
                return Optional.empty();
            }
            if (Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_WRITE)) {
                return Optional.of(dir + " is writable by everyone and left so: give Hallmark a directory of its own");
            }
            return narrow(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Creates an empty {@code file} mode 0600 if there is none, else narrows it to its owner (see {@link #narrow}). */
    public static Optional<String> file(Path file) {
        try {
            Files.createFile(file, MODE_0600);
            return Optional.empty();
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return narrow(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes group and other permissions away from an existing file or directory (the owner's stay as they
     * are); nothing if it does not exist.
     *
     * @return what was narrowed, for a notice: "FILE was rw-r--r--, now rw-------: narrowed to its owner"
     */
    public static Optional<String> narrow(Path path) {
        try {
            Set<PosixFilePermission> before = Files.getPosixFilePermissions(path);
            Set<PosixFilePermission> after = EnumSet.noneOf(PosixFilePermission.class);
            after.addAll(before);
            after.retainAll(OWNER);
            if (after.equals(before)) {
                return Optional.empty();
            }
            Files.setPosixFilePermissions(path, after);
            return Optional.of(path + " was " + PosixFilePermissions.toString(before) + ", now " + PosixFilePermissions.toString(after)
                    + ": narrowed to its owner");
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict " + path + " to its owner: " + e.getMessage(), e);
        }
    }

    /** Creates {@code file}; fails if it exists, so a secret is never silently replaced. */
    public static void create(Path file, byte[] content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(parent, MODE_0700); // a directory made for a secret is its owner's too
            }
            Files.deleteIfExists(tmp(file));
            try (OutputStream out = Files.newOutputStream(Files.createFile(tmp(file), MODE_0600), StandardOpenOption.WRITE)) {
                out.write(content);
            }
            // A fresh file under its final name only once complete, so a crash leaves no half-written secret.
            Files.move(tmp(file), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new file for streamed content that may hold secrets (an archive with simulated device keys), mode 0600
     * from creation; whatever was at {@code file} before is replaced (it is rewritten whole, e.g. on a re-run).
     */
    public static OutputStream replace(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        return Files.newOutputStream(Files.createFile(file, MODE_0600), StandardOpenOption.WRITE);
    }

    private static Path tmp(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }
}
