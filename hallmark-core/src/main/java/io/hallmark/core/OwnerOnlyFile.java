package io.hallmark.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes secrets (keys, passphrases) created with mode 0600 from the start: never briefly world-readable. */
public final class OwnerOnlyFile {

    private OwnerOnlyFile() {
    }

    /** Creates {@code file}; fails if it exists, so a secret is never silently replaced. */
    public static void create(Path file, byte[] content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.deleteIfExists(tmp(file));
            try (OutputStream out = Files.newOutputStream(
                    Files.createFile(tmp(file), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    StandardOpenOption.WRITE)) {
                out.write(content);
            }
            // A fresh file under its final name only once complete, so a crash leaves no half-written secret.
            Files.move(tmp(file), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path tmp(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }
}
