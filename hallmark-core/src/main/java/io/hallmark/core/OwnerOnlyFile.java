package io.hallmark.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes secrets (keys, passphrases) created with mode 0600 from the start: never briefly world-readable. */
public final class OwnerOnlyFile {

    private OwnerOnlyFile() {
    }

    private static final FileAttribute<?> MODE_0600 = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /** Creates {@code file}; fails if it exists, so a secret is never silently replaced. */
    public static void create(Path file, byte[] content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
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
