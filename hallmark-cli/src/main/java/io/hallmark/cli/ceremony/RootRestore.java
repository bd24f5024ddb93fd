package io.hallmark.cli.ceremony;

import com.codahale.shamir.Scheme;
import io.hallmark.core.Hallmark;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.vault.KeyHandle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Restores a ceremony's root key from its backup and enough shares into the vault of an installation that holds no CA,
 * and records the root CA there. Every share is checked before any is used: its checksum (damage), its ceremony (a
 * share of another ceremony), the ceremony's record of it (a share altered and re-checksummed), its index (given
 * twice). One that fails is named and nothing is restored, even when enough good ones remain: the operator leaves it
 * out knowingly. The key restored is checked against the backup's certificate before it is kept.
 */
public final class RootRestore {

    public record Result(String ceremony, String ca, String subject, String rootSha256, String keyRef, List<Integer> sharesUsed) {
    }

    private final Hallmark hallmark;

    public RootRestore(Hallmark hallmark) {
        this.hallmark = hallmark;
    }

    public Result run(Path backupPath, List<Path> sharePaths, String actor) {
        String backupName = backupPath.getFileName().toString();
        RootBackupFile backup = RootBackupFile.parse(backupName, read(backupPath));
        Map<Integer, RootBackupFile.ShareRecord> recorded = new TreeMap<>();
        backup.shares().forEach(s -> recorded.put(s.index(), s));

        List<String> problems = new ArrayList<>();
        Map<Integer, byte[]> valid = new TreeMap<>();
        Map<Integer, String> names = new TreeMap<>();
        for (Path path : sharePaths) {
            String name = path.getFileName().toString();
            try {
                ShareFile share = ShareFile.parse(name, read(path));
                if (!share.ceremony().equals(backup.ceremony())) {
                    throw new ShareRefusedException(name + " belongs to ceremony " + share.ceremony() + ", not " + backup.ceremony()
                            + " (the backup's)");
                }
                RootBackupFile.ShareRecord record = recorded.get(share.index());
                if (!backup.rootSha256().equals(share.rootSha256()) || share.threshold() != backup.threshold()
                        || share.total() != backup.total() || record == null || !record.sha256().equals(share.commitment())) {
                    throw new ShareRefusedException(name + " says it is share " + share.index() + " of ceremony " + share.ceremony()
                            + ", but is not the share the ceremony recorded (altered after the ceremony)");
                }
                if (names.containsKey(share.index())) {
                    throw new ShareRefusedException(name + " is share " + share.index() + " again (as " + names.get(share.index())
                            + "): each share counts once");
                }
                names.put(share.index(), name);
                valid.put(share.index(), share.value());
            } catch (ShareRefusedException e) {
                problems.add(e.getMessage());
            }
        }
        int needed = backup.threshold();
        if (!problems.isEmpty()) {
            throw new ShareRefusedException(String.join("; ", problems) + (valid.size() >= needed
                    ? ": nothing was restored (leave it out: the " + valid.size() + " valid shares are enough)"
                    : "; " + valid.size() + " valid shares, " + needed + " needed: nothing was restored"));
        }
        if (valid.size() < needed) {
            throw HallmarkException.badInput(valid.size() + (valid.size() == 1 ? " share" : " shares") + " given, " + needed
                    + " needed: nothing was restored (any " + needed + " of the ceremony's " + backup.total() + " shares restore the root key)");
        }

        byte[] backupKey = new Scheme(new SecureRandom(), backup.total(), needed).join(valid);
        try {
            byte[] der = backup.certificateDer();
            java.security.PublicKey publicKey = Pem.x509(der).getPublicKey();
            KeyHandle key;
            try {
                key = hallmark.vaults().backup(null).restore(backup.ca(), Base64.getDecoder().decode(backup.encryptedKey()), backupKey,
                        backup.associatedData(), publicKey);
            } catch (HallmarkException e) {
                if (e.kind() != HallmarkException.Kind.BAD_INPUT) throw e;
                throw new ShareRefusedException(backupName + " refused: " + e.getMessage() + "; nothing was restored");
            } catch (IllegalArgumentException e) {
                throw new ShareRefusedException(backupName + " is damaged: its encrypted key is not base64; nothing was restored");
            }
            CertificateAuthority ca = hallmark.cas().restoreRoot(backup.ca(), der, key, actor, "ceremony " + backup.ceremony());
            hallmark.store().run(tx -> tx.audit().append(actor, AuditEvent.of("ceremony.restore", ca.name(), "ceremony", backup.ceremony(),
                    "sha256", backup.rootSha256(), "shares", valid.keySet().toString()), hallmark.clock().instant()));
            return new Result(backup.ceremony(), ca.name(), ca.holder().getSubject().toString(), backup.rootSha256(), key.ref(),
                    List.copyOf(valid.keySet()));
        } finally {
            Arrays.fill(backupKey, (byte) 0);
            valid.values().forEach(v -> Arrays.fill(v, (byte) 0));
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw HallmarkException.notFound(file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
