package io.hallmark.cli.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A working directory beside the final place (same file system, so the result is renamed into place), owner-only
 * since it holds the inventory and key files, and removed whatever happens: also when the command is interrupted
 * (Ctrl-C, SIGTERM), which runs shutdown hooks but not the interrupted code's {@code finally}.
 */
final class Staging {

    private static final Map<Path, Thread> HOOKS = new ConcurrentHashMap<>();

    private Staging() {
    }

    static Path create(Path parent, String prefix) {
        try {
            Files.createDirectories(parent);
            Path dir = Files.createTempDirectory(parent, prefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Thread hook = new Thread(() -> remove(dir), "hallmark-staging-cleanup");
            HOOKS.put(dir, hook);
            Runtime.getRuntime().addShutdownHook(hook);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a working directory in " + parent + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path dir) {
        if (dir == null) return;
        Thread hook = HOOKS.remove(dir);
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook removes it
            }
        }
        remove(dir);
    }

    private static void remove(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("hallmark: could not remove the working directory " + dir + ": " + e.getMessage());
        }
    }
}
