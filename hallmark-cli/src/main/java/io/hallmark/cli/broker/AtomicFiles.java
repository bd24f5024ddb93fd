package io.hallmark.cli.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Replaces a file as a whole: written beside it under a temporary name, then renamed over it (rename(2) is atomic
 * within a directory), so a broker reloading at any moment reads the old file or the new one, never half of one.
 */
final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes {@code content} unless the file holds exactly that already; returns whether it wrote. */
    static boolean writeIfChanged(Path file, byte[] content) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) == content.length && Arrays.equals(Files.readAllBytes(file), content)) {
                return false;
            }
            replace(file, content);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static void replace(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.write(temp, content);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
