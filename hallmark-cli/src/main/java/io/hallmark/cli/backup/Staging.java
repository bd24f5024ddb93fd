package io.hallmark.cli.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A working directory beside the final place (same file system, so the result is renamed into place), owner-only
 * since it holds the inventory and key files, and removed whatever happens.
 */
final class Staging {

    private Staging() {
    }

    static Path create(Path parent, String prefix) {
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a working directory in " + parent + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("hallmark: could not remove the working directory " + dir + ": " + e.getMessage());
        }
    }
}
