package io.hallmark.device;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.files.OwnerOnlyFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The agent's state directory. Each LDevID lives in its own generation directory, complete before it
 * becomes visible, and {@code current} is a symbolic link switched by one rename:
 * <pre>
 *   STATE/current -> gen-&lt;serial&gt;        the LDevID in use
 *   STATE/gen-&lt;serial&gt;/ldevid.pem        certificate
 *   STATE/gen-&lt;serial&gt;/ldevid.key        private key, PKCS#8 PEM, mode 0600
 *   STATE/gen-&lt;serial&gt;/ca-chain.pem      issuing CA first, root last (from /cacerts)
 * </pre>
 * A crash at any point leaves {@code current} naming either the old generation or the new one, each with
 * a key and its certificate; never a new key beside an old certificate. The previous generation is kept
 * so that a reader that resolved the link just before the switch still finds its files.
 */
public final class LdevidState {

    public static final String CURRENT = "current";
    public static final String CERTIFICATE = "ldevid.pem";
    public static final String KEY = "ldevid.key";
    public static final String CA_CHAIN = "ca-chain.pem";
    private static final String GENERATION = "gen-";
    private static final String TEMP = ".tmp-";

    /** One stored LDevID. Paths point into its generation directory, which does not change under a reader. */
    public record Stored(Path directory, X509Certificate certificate, List<X509Certificate> caChain) {
        public Path certificateFile() {
            return directory.resolve(CERTIFICATE);
        }

        public Path keyFile() {
            return directory.resolve(KEY);
        }

        public Path caChainFile() {
            return directory.resolve(CA_CHAIN);
        }

        public DeviceCredential credential() {
            return DeviceCredentials.fromPem(certificateFile(), keyFile());
        }
    }

    private final Path dir;

    public LdevidState(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path directory() {
        return dir;
    }

    /** The LDevID {@code current} names, read through one resolution of the link. */
    public Optional<Stored> current() {
        Path link = dir.resolve(CURRENT);
        if (!Files.isSymbolicLink(link)) {
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                throw HallmarkException.badInput(link + " is not a symbolic link; is " + dir + " an agent state directory?");
            }
            return Optional.empty();
        }
        try {
            Path generation = dir.resolve(Files.readSymbolicLink(link)).normalize();
            List<X509Certificate> cert = DeviceCredentials.certificates(generation.resolve(CERTIFICATE));
            List<X509Certificate> chain = DeviceCredentials.certificates(generation.resolve(CA_CHAIN));
            if (!Files.isRegularFile(generation.resolve(KEY))) {
                throw HallmarkException.notFound("the LDevID in " + generation + " has no key file");
            }
            return Optional.of(new Stored(generation, cert.getFirst(), chain));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + link + ": " + e.getMessage(), e);
        }
    }

    /** Stores a new LDevID and makes it current (see the class comment for the crash guarantees). */
    public Stored replace(X509Certificate certificate, KeyPair keys, List<X509Certificate> caChain) {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            removeTemporaries();
            Path temp = Files.createDirectory(dir.resolve(TEMP + UUID.randomUUID()),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            // Key first, then certificate and chain; each synced, so the rename below publishes only complete files.
            OwnerOnlyFile.create(temp.resolve(KEY), Csrs.privateKeyPem(keys).getBytes(StandardCharsets.US_ASCII));
            write(temp.resolve(CERTIFICATE), pem(List.of(certificate)));
            write(temp.resolve(CA_CHAIN), pem(caChain));
            for (String name : List.of(KEY, CERTIFICATE, CA_CHAIN)) sync(temp.resolve(name));
            sync(temp);

            String name = GENERATION + certificate.getSerialNumber().toString(16);
            Path generation = dir.resolve(name);
            if (Files.exists(generation, LinkOption.NOFOLLOW_LINKS)) {
                throw HallmarkException.conflict(generation + " already exists: the server issued a serial number twice?");
            }
            Files.move(temp, generation, StandardCopyOption.ATOMIC_MOVE);
            sync(dir);

            Path previous = currentGeneration().orElse(null);
            Path link = dir.resolve(TEMP + UUID.randomUUID());
            Files.createSymbolicLink(link, Path.of(name)); // relative, so the directory may be moved as a whole
            Files.move(link, dir.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE); // rename(2) replaces atomically
            sync(dir);

            pruneExcept(generation, previous);
            return new Stored(generation, certificate, List.copyOf(caChain));
        } catch (AtomicMoveNotSupportedException e) {
            throw HallmarkException.badInput(dir + " is on a file system without atomic rename; use a local directory");
        } catch (FileAlreadyExistsException e) {
            throw HallmarkException.conflict("cannot create " + e.getFile() + ": it exists");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the LDevID in " + dir + ": " + e.getMessage(), e);
        }
    }

    private Optional<Path> currentGeneration() throws IOException {
        Path link = dir.resolve(CURRENT);
        return Files.isSymbolicLink(link) ? Optional.of(dir.resolve(Files.readSymbolicLink(link)).normalize()) : Optional.empty();
    }

    /** Generations other than the new and the previous one, oldest first; all of them are superseded. */
    private void pruneExcept(Path keep, Path previous) throws IOException {
        List<Path> old = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, GENERATION + "*")) {
            for (Path p : entries) {
                if (!p.equals(keep) && !p.equals(previous)) old.add(p);
            }
        }
        old.sort(Comparator.naturalOrder());
        for (Path p : old) deleteTree(p);
    }

    /** Leftovers of a run that crashed before its rename: never visible, safe to drop. */
    private void removeTemporaries() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, TEMP + "*")) {
            for (Path p : entries) deleteTree(p);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
                for (Path child : entries) deleteTree(child);
            }
        }
        Files.deleteIfExists(p);
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** fsync, so "renamed" implies "on disk" after a power cut too (directories included, as Linux allows). */
    private static void sync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static String pem(List<X509Certificate> certs) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : certs) {
            try {
                out.append(Pem.certificate(c.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }
}
