package io.hallmark.core.matter.attestation;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.text.SafeText;
import org.bouncycastle.asn1.x500.X500Name;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The PAAs a verifier trusts: the certificates of one directory, PEM (one or more CERTIFICATE blocks per file)
 * or DER, as the CSA's Distributed Compliance Ledger is mirrored ({@code credentials/production/paa-root-certs}
 * in the Matter SDK). Files that hold no certificate (a key beside its certificate, a README) are skipped and
 * listed in {@link #skipped()}. A PAA is found by the PAI's issuer name and authority key identifier, which must
 * equal the PAA's subject and subject key identifier. The PAAs' format is checked when one is used, not at
 * loading, so one bad file does not make the others unusable.
 */
public final class PaaStore {

    /** More files than the ledger lists PAAs, by far; a directory with more is not a PAA store. */
    public static final int MAX_FILES = 10_000;
    /** A file holding a few PEM certificates is a few KiB. */
    public static final int MAX_FILE_BYTES = 1 << 20;

    /** One PAA and where it came from. */
    record Entry(String source, AttestationCertificate certificate) {
    }

    /** A file that was not read as a PAA, and why. */
    public record Skipped(String file, String why) {
    }

    private final List<Entry> entries;
    private final List<Skipped> skipped;

    private PaaStore(List<Entry> entries, List<Skipped> skipped) {
        this.entries = List.copyOf(entries);
        this.skipped = List.copyOf(skipped);
    }

    /** Loads every regular file of {@code dir} (not its subdirectories), in name order. */
    public static PaaStore load(Path dir) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(Files::isRegularFile).sorted().limit(MAX_FILES + 1L).toList();
        } catch (NoSuchFileException e) {
            throw HallmarkException.badInput("no such PAA store directory: " + dir);
        } catch (NotDirectoryException e) {
            throw HallmarkException.badInput("the PAA store must be a directory of PAA certificates: " + dir);
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot read the PAA store " + dir + ": " + e.getMessage());
        }
        if (files.size() > MAX_FILES) {
            throw HallmarkException.badInput("the PAA store " + dir + " has more than " + MAX_FILES + " files");
        }
        List<Entry> entries = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path file : files) {
            read(file, entries, skipped);
        }
        return new PaaStore(entries, skipped);
    }

    /** A store of the given certificates (PEM or DER each), named by their index. */
    public static PaaStore of(List<byte[]> certificates) {
        List<Entry> entries = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
            add("#" + i, certificates.get(i), entries, skipped);
        }
        return new PaaStore(entries, skipped);
    }

    private static void read(Path file, List<Entry> entries, List<Skipped> skipped) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            skipped.add(new Skipped(file.getFileName().toString(), "unreadable: " + e.getMessage()));
            return;
        }
        if (bytes.length > MAX_FILE_BYTES) {
            skipped.add(new Skipped(file.getFileName().toString(), "larger than " + MAX_FILE_BYTES / 1024 + " KiB"));
            return;
        }
        add(file.getFileName().toString(), bytes, entries, skipped);
    }

    private static void add(String name, byte[] bytes, List<Entry> entries, List<Skipped> skipped) {
        List<byte[]> blocks;
        try {
            blocks = Pem.blocks(bytes, "CERTIFICATE");
        } catch (HallmarkException e) {
            skipped.add(new Skipped(name, e.getMessage()));
            return;
        }
        boolean pem = !blocks.isEmpty() || startsLikePem(bytes);
        if (pem && blocks.isEmpty()) {
            skipped.add(new Skipped(name, "no CERTIFICATE block"));
            return;
        }
        List<byte[]> ders = pem ? blocks : List.of(bytes);
        for (int i = 0; i < ders.size(); i++) {
            String source = ders.size() == 1 ? name : name + "[" + i + "]";
            try {
                entries.add(new Entry(source, AttestationCertificate.parse(CertificateKind.PAA, ders.get(i))));
            } catch (AttestationCertificate.Unreadable e) {
                skipped.add(new Skipped(source, e.getMessage()));
            }
        }
    }

    private static boolean startsLikePem(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), java.nio.charset.StandardCharsets.ISO_8859_1);
        return head.contains("-----BEGIN ");
    }

    /** How many PAAs were loaded. */
    public int size() {
        return entries.size();
    }

    /** The loaded PAAs' sources and subjects, in load order. */
    public List<String> describe() {
        return entries.stream().map(e -> e.source() + ": " + SafeText.escape(e.certificate().subject().toString())).toList();
    }

    /** The DER of each loaded PAA, in load order. */
    public List<byte[]> certificates() {
        return entries.stream().map(e -> e.certificate().der().clone()).toList();
    }

    public List<Skipped> skipped() {
        return skipped;
    }

    /** The PAA whose subject is {@code issuer} and whose subject key identifier is {@code keyId}. */
    Optional<Entry> find(X500Name issuer, byte[] keyId) {
        return entries.stream().filter(e -> e.certificate().subject().equals(issuer) && hasKeyId(e, keyId)).findFirst();
    }

    private static boolean hasKeyId(Entry e, byte[] keyId) {
        try {
            return e.certificate().subjectKeyId().map(ski -> Arrays.equals(ski, keyId)).orElse(false);
        } catch (RuntimeException malformed) {
            return false; // a malformed SKI identifies nothing
        }
    }
}
