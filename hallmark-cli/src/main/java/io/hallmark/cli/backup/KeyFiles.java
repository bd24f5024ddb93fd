package io.hallmark.cli.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The software key vault's files as a backup sees them: the regular files directly in the keys directory
 * (encrypted PKCS#8 {@code NAME.key.pem} and public {@code NAME.pub.pem}, docs/architecture.md "Data
 * directory"). A CA's key reference {@code soft:NAME} names such a pair; other schemes live elsewhere (an HSM).
 */
public final class KeyFiles {

    private KeyFiles() {
    }

    /** The files to back up, by name; never a passphrase file, wherever it is configured to be. */
    static List<Path> list(Path keysDir, Set<Path> exclude) {
        if (!Files.isDirectory(keysDir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(keysDir)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || !BackupArchive.KEY_FILE.matcher(name).matches()
                        || name.equals("vault.pass") || isExcluded(p, exclude)) {
                    continue;
                }
                files.add(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + keysDir + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static boolean isExcluded(Path p, Set<Path> exclude) throws IOException {
        for (Path x : exclude) {
            if (Files.exists(x) && Files.isSameFile(p, x)) return true;
        }
        return false;
    }

    /**
     * The software-vault key references among {@code refs} whose files are not among {@code names}: CAs that
     * could not sign with these files.
     */
    public static List<String> missing(List<String> refs, Set<String> names) {
        return refs.stream()
                .filter(r -> r.startsWith("soft:"))
                .filter(r -> {
                    String n = r.substring("soft:".length());
                    return !names.contains(n + ".key.pem") || !names.contains(n + ".pub.pem");
                })
                .toList();
    }

    /** The names of the files in {@code keysDir} (none if it does not exist). */
    public static Set<String> names(Path keysDir) {
        return list(keysDir, Set.of()).stream().map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
    }
}
