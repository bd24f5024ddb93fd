package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.store.JdbcStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Opens the installation {@code init} and {@code quickstart} write to, refusing when the data directory and
 * the database do not belong together. A hierarchy lives in two places: the database (CAs, certificates,
 * audit) and the data directory (the CA keys in {@code keys/}, their certificates in {@code ca/}). Pointing
 * one directory at another database ({@code --data old --db jdbc:postgresql://new}) used to create a second
 * hierarchy whose root overwrote {@code ca/root.pem} beside keys of the first; pointing a fresh directory at a
 * database that holds one created files for a hierarchy whose keys are elsewhere. Both are refused here,
 * before anything is written to either place: no SQLite file or PostgreSQL table is created for a directory
 * that holds a hierarchy, no file is written for a database that holds one the directory lacks.
 */
final class InitGuard {

    private InitGuard() {
    }

    /** What of a hierarchy the data directory holds: CA certificates ({@code ca/NAME.pem}) and CA keys ({@code keys/*.key.pem}). */
    record DirectoryFiles(Map<String, Path> caCertificates, List<Path> keys) {
        boolean isEmpty() {
            return caCertificates.isEmpty() && keys.isEmpty();
        }

        /** The first file found, to name in a message: ca/root.pem if present. */
        String example(Path dataDir) {
            Path p = caCertificates.containsKey("root") ? caCertificates.get("root")
                    : !caCertificates.isEmpty() ? caCertificates.values().iterator().next() : keys.getFirst();
            return dataDir.relativize(p).toString();
        }

        static DirectoryFiles of(Path dataDir) {
            Map<String, Path> certs = new TreeMap<>();
            for (Path p : list(dataDir.resolve("ca"), "*.pem")) {
                String name = p.getFileName().toString();
                if (!name.endsWith("-chain.pem")) certs.put(name.substring(0, name.length() - ".pem".length()), p);
            }
            return new DirectoryFiles(certs, list(Installation.keys(dataDir), "*.key.pem"));
        }

        private static List<Path> list(Path dir, String glob) {
            if (!Files.isDirectory(dir)) return List.of();
            List<Path> out = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
                files.forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dir, e);
            }
            out.sort(null);
            return out;
        }
    }

    /** Opens the installation, or refuses with one line (exit 5) naming what belongs to which hierarchy; nothing is changed then. */
    static Hallmark open(HallmarkCommand root) {
        Path dir = root.dataDir();
        String url = root.databaseUrl();
        String database = url == null ? "its database " + dir.resolve(JdbcStore.SQLITE_FILE) : "the database " + JdbcStore.redacted(url);
        DirectoryFiles files = DirectoryFiles.of(dir);
        if (!files.isEmpty() && !JdbcStore.holdsSchema(dir, url)) {
            throw dirWithoutDatabase(dir, files, database);
        }
        Hallmark hallmark = root.open(true);
        List<CertificateAuthority> cas = hallmark.cas().list();
        if (cas.isEmpty()) {
            if (!files.isEmpty()) throw dirWithoutDatabase(dir, files, database);
            return hallmark;
        }
        Map<String, CertificateAuthority> byName = new TreeMap<>();
        cas.forEach(ca -> byName.put(ca.name(), ca));
        for (var file : files.caCertificates().entrySet()) {
            CertificateAuthority ca = byName.get(file.getKey());
            if (ca == null || !Arrays.equals(ca.certificate(), der(file.getValue()))) {
                throw HallmarkException.conflict(dir.resolve("ca").resolve(file.getValue().getFileName()) + " is not " + (ca == null
                        ? "a CA of " : "the certificate of CA " + ca.name() + " in ") + database
                        + ": the directory and the database belong to different installations; nothing was changed");
            }
        }
        boolean keysHere = cas.stream().anyMatch(ca -> files.keys().contains(keyFile(dir, ca.keyRef())));
        if (files.caCertificates().isEmpty() && !keysHere) {
            CertificateAuthority top = cas.stream().filter(CertificateAuthority::isRoot).findFirst().orElse(cas.getFirst());
            throw HallmarkException.conflict(database + " already holds a CA hierarchy (" + cas.size() + " CAs, root '" + top.holder().getSubject()
                    + "') whose files are not in " + dir + " (no ca/" + top.name() + ".pem, no CA key in keys/): init makes no second one; "
                    + "nothing was changed (use the data directory it was created with)");
        }
        return hallmark;
    }

    private static HallmarkException dirWithoutDatabase(Path dir, DirectoryFiles files, String database) {
        return HallmarkException.conflict(dir + " already holds a CA hierarchy (" + files.example(dir) + ") but " + database
                + " holds none: init would start a second hierarchy and overwrite its files; nothing was changed (use the database "
                + "the directory belongs to, or an empty --data directory)");
    }

    /** The software vault's file for a key reference ({@code soft:NAME} is {@code keys/NAME.key.pem}); null for other vaults. */
    private static Path keyFile(Path dir, String keyRef) {
        return keyRef.startsWith("soft:") ? Installation.keys(dir).resolve(keyRef.substring("soft:".length()) + ".key.pem") : null;
    }

    private static byte[] der(Path pem) {
        try {
            return Pem.derOf(Files.readAllBytes(pem), "CERTIFICATE");
        } catch (IOException | RuntimeException e) {
            return new byte[0]; // not a certificate: certainly not this database's, and not to be overwritten
        }
    }
}
