package io.hallmark.cli.ceremony;

import com.codahale.shamir.Scheme;
import io.hallmark.core.Hallmark;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.ca.CaSpec;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.files.OwnerOnlyFile;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.vault.KeyBackup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The root key ceremony: creates the root CA of a new installation with a key made together with its backup, splits
 * the backup key among share holders with Shamir's scheme over GF(256), checks that the shares open the backup, and
 * writes a transcript the new root signs. See docs/key-custody.md, "Root key ceremony".
 *
 * <p>The backup key lives in this process only between its generation and the end of {@link #run}; it is zeroed then
 * (best effort: the JVM may have copied it, which is why the ceremony runs on a machine that is switched off after).
 */
public final class RootCeremony {

    public static final String TRANSCRIPT = "transcript.txt";
    public static final String SIGNATURE = "transcript.p7s";
    public static final String BACKUP = "root-backup.enc";
    public static final String ROOT_PEM = "root.pem";
    /** Above this many combinations of shares, the check of step 6 takes the first ones in order, not all. */
    static final int MAX_COMBINATIONS_CHECKED = 2_000;

    /**
     * @param holders who receives each share, in share order, or empty
     */
    public record Request(CaSpec root, int shares, int threshold, Path out, List<String> participants, List<String> holders,
                          String dataDir, String store, String actor) {
    }

    /** What the operator is told, and {@code --json} prints. */
    public record Result(String ceremony, String ca, String subject, String serial, String rootSha256, String spkiSha256,
                         String keyRef, int threshold, int total, String out, List<String> files, int combinationsChecked,
                         long combinations) {
    }

    private final Hallmark hallmark;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public RootCeremony(Hallmark hallmark) {
        this.hallmark = hallmark;
        this.clock = hallmark.clock();
    }

    public Result run(Request r) {
        validate(r);
        Transcript transcript = new Transcript(clock);
        KeyBackup vault = hallmark.vaults().backup(r.root().vault()); // an HSM root is refused here, before anything is made
        prepareOut(r.out());
        transcript.step("checked that the installation holds no CA and that " + r.out().toAbsolutePath() + " is empty");

        String ceremony = HexFormat.of().formatHex(bytes(16));
        byte[] backupKey = bytes(KeyBackup.KEY_BYTES);
        Map<Integer, byte[]> parts = new Scheme(random, r.shares(), r.threshold()).split(backupKey);
        try {
            List<RootBackupFile.ShareRecord> records = new ArrayList<>();
            List<ShareFile> shares = new ArrayList<>();
            for (int i = 1; i <= r.shares(); i++) {
                String holder = r.holders().isEmpty() ? null : r.holders().get(i - 1);
                ShareFile share = new ShareFile(ceremony, null, i, r.threshold(), r.shares(), holder, parts.get(i));
                shares.add(share);
                records.add(new RootBackupFile.ShareRecord(i, holder, share.commitment()));
            }
            transcript.step("made a 256-bit backup key and split it into " + r.shares() + " shares, any " + r.threshold()
                    + " of which rebuild it (Shamir's secret sharing over GF(256))");

            RootBackupFile header = new RootBackupFile(RootBackupFile.FORMAT, ceremony, null, r.root().name(), null, null,
                    r.threshold(), r.shares(), records, RootBackupFile.CIPHER, null);
            KeyBackup.BackedUpKey key = vault.generateWithBackup(r.root().name(), r.root().algorithm(), backupKey, header.associatedData());
            transcript.step("generated the root key (" + r.root().algorithm().id() + ") in the "
                    + (key.handle().ref().startsWith("soft:") ? "software" : key.handle().ref().split(":")[0]) + " vault as " + key.handle().ref() + ", and encrypted a copy of it under the backup key (AES-256-GCM)");

            CertificateAuthority ca = hallmark.cas().createRoot(r.root(), key.handle(), r.actor());
            byte[] der = ca.certificate();
            String rootSha256 = Fingerprint.colonHex(der);
            String spkiSha256 = Fingerprints.sha256Hex(key.handle().publicKey().getEncoded());
            transcript.step("signed the root certificate '" + ca.holder().getSubject() + "', serial " + Serials.hex(ca.holder().getSerialNumber()));

            RootBackupFile backup = new RootBackupFile(RootBackupFile.FORMAT, ceremony, clock.instant().toString(), ca.name(), rootSha256,
                    Pem.certificate(der), r.threshold(), r.shares(), records, RootBackupFile.CIPHER,
                    Base64.getEncoder().encodeToString(key.encrypted()));
            long combinations = binomial(r.shares(), r.threshold());
            int checked = checkEveryCombination(parts, r.threshold(), backupKey);
            if (!vault.opens(key.encrypted(), backupKey, backup.associatedData(), key.handle().publicKey())) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "the backup just made does not open: nothing was handed out");
            }
            transcript.step("checked that " + (checked == combinations ? "every one" : "the first " + checked) + " of the " + combinations
                    + " combinations of " + r.threshold() + " shares rebuilds the backup key, and that the backup opens with it and holds the "
                    + "private half of the root certificate's key");

            List<String> files = new ArrayList<>();
            write(r.out().resolve(ROOT_PEM), Pem.certificate(der).getBytes(StandardCharsets.US_ASCII), false);
            files.add(ROOT_PEM);
            byte[] backupBytes = backup.encoded();
            write(r.out().resolve(BACKUP), backupBytes, true);
            files.add(BACKUP);
            List<String> shareLines = new ArrayList<>();
            for (ShareFile s : shares) {
                ShareFile share = new ShareFile(ceremony, rootSha256, s.index(), s.threshold(), s.total(), s.holder(), s.value());
                byte[] text = share.encode().getBytes(StandardCharsets.UTF_8);
                write(r.out().resolve("share-" + share.index()), text, true);
                files.add("share-" + share.index());
                shareLines.add("share-" + share.index() + "  holder: " + (share.holder() == null ? "(not named)" : share.holder())
                        + "\n    share id (sha256 of ceremony, index, value): " + share.commitment()
                        + "\n    file sha256: " + Fingerprints.sha256Hex(text));
            }
            transcript.step("wrote " + ROOT_PEM + ", " + BACKUP + " and share-1 to share-" + r.shares() + " to " + r.out().toAbsolutePath());

            hallmark.store().run(tx -> tx.audit().append(r.actor(), AuditEvent.of("ceremony.root", ca.name(), "ceremony", ceremony,
                    "sha256", rootSha256, "shares", String.valueOf(r.shares()), "threshold", String.valueOf(r.threshold()),
                    "participants", String.join(", ", r.participants())), clock.instant()));
            transcript.step("recorded the ceremony in the installation's audit log (event ceremony.root)");

            Arrays.fill(backupKey, (byte) 0);
            parts.values().forEach(p -> Arrays.fill(p, (byte) 0));
            shares.forEach(s -> Arrays.fill(s.value(), (byte) 0));
            transcript.step("erased the backup key and the shares from this process's memory");

            String text = transcript.render(ceremony, r, ca, rootSha256, spkiSha256, Fingerprints.sha256Hex(backupBytes), shareLines);
            byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
            write(r.out().resolve(TRANSCRIPT), textBytes, false);
            write(r.out().resolve(SIGNATURE), TranscriptSigner.sign(textBytes, key.handle(), ca.holder()).getBytes(StandardCharsets.US_ASCII), false);
            files.add(TRANSCRIPT);
            files.add(SIGNATURE);
            return new Result(ceremony, ca.name(), ca.holder().getSubject().toString(), Serials.hex(ca.holder().getSerialNumber()),
                    rootSha256, spkiSha256, key.handle().ref(), r.threshold(), r.shares(), r.out().toAbsolutePath().toString(), files,
                    checked, combinations);
        } finally {
            Arrays.fill(backupKey, (byte) 0);
            parts.values().forEach(p -> Arrays.fill(p, (byte) 0));
        }
    }

    private static void validate(Request r) {
        if (r.root().parent() != null) {
            throw HallmarkException.badInput("CA " + r.root().name() + " has a parent: the ceremony creates a root");
        }
        if (r.threshold() < 2 || r.shares() < r.threshold() || r.shares() > 255) {
            throw HallmarkException.badInput("--threshold " + r.threshold() + " of --shares " + r.shares()
                    + ": need 2 <= threshold <= shares <= 255 (one share alone would be the key)");
        }
        if (!r.holders().isEmpty() && r.holders().size() != r.shares()) {
            throw HallmarkException.badInput(r.holders().size() + " --share-holder given for " + r.shares() + " shares: name one per share, or none");
        }
        for (String name : concat(r.participants(), r.holders())) {
            if (name.isBlank() || name.length() > 120 || name.chars().anyMatch(Character::isISOControl)) {
                throw HallmarkException.badInput("participant or holder name '" + name + "' must be 1 to 120 characters, no control characters");
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The shares go nowhere they could overwrite, or mix with, another ceremony's. */
    private static void prepareOut(Path out) {
        try {
            if (Files.exists(out)) {
                try (var entries = Files.list(out)) {
                    if (entries.findAny().isPresent()) {
                        throw HallmarkException.conflict(out + " is not empty: the ceremony writes its shares into an empty directory; nothing was made");
                    }
                }
            } else {
                Files.createDirectories(out, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
        } catch (java.nio.file.NotDirectoryException e) {
            throw HallmarkException.conflict(out + " is a file, not a directory");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + out, e);
        }
    }

    /** Rebuilds the key from each combination of {@code threshold} shares (in order, up to the cap) and compares. */
    private static int checkEveryCombination(Map<Integer, byte[]> parts, int threshold, byte[] expected) {
        Scheme joiner = new Scheme(new SecureRandom(), parts.size(), threshold);
        int[] pick = new int[threshold];
        for (int i = 0; i < threshold; i++) pick[i] = i + 1;
        int checked = 0;
        int n = parts.size();
        while (checked < MAX_COMBINATIONS_CHECKED) {
            Map<Integer, byte[]> subset = new TreeMap<>();
            for (int index : pick) subset.put(index, parts.get(index));
            byte[] joined = joiner.join(subset);
            boolean same = java.security.MessageDigest.isEqual(joined, expected);
            Arrays.fill(joined, (byte) 0);
            if (!same) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "shares " + Arrays.toString(pick)
                        + " do not rebuild the backup key: nothing was handed out");
            }
            checked++;
            int i = threshold - 1;
            while (i >= 0 && pick[i] == n - threshold + i + 1) i--;
            if (i < 0) break;
            pick[i]++;
            for (int j = i + 1; j < threshold; j++) pick[j] = pick[j - 1] + 1;
        }
        return checked;
    }

    /** n choose k, Long.MAX_VALUE when larger (255 shares, threshold 128). */
    static long binomial(int n, int k) {
        java.math.BigInteger c = java.math.BigInteger.ONE;
        for (int i = 1; i <= k; i++) c = c.multiply(java.math.BigInteger.valueOf(n - k + i)).divide(java.math.BigInteger.valueOf(i));
        return c.bitLength() < 63 ? c.longValue() : Long.MAX_VALUE;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static void write(Path file, byte[] content, boolean secret) {
        if (secret) {
            OwnerOnlyFile.create(file, content);
            return;
        }
        try {
            Files.write(file, content, java.nio.file.StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
