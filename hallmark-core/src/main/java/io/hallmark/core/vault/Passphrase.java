package io.hallmark.core.vault;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.files.OwnerOnlyFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The software vault's passphrase: {@code HALLMARK_PASSPHRASE}, else a key file readable by its owner
 * only ({@code HALLMARK_PASSPHRASE_FILE}, default {@code DATA/vault.pass}). A key file next to the keys
 * protects only against copies of the key files alone; production keeps it elsewhere or uses an HSM.
 *
 * @param value     the passphrase
 * @param source    where it came from, for messages
 * @param generated true when this call created the key file (callers must say so loudly)
 */
public record Passphrase(char[] value, String source, boolean generated) {

    public static final String ENV = "HALLMARK_PASSPHRASE";
    public static final String FILE_ENV = "HALLMARK_PASSPHRASE_FILE";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** A new vault's passphrase: at least this many characters... */
    static final int MIN_LENGTH = 12;
    /** ...of which this many different, so that a repeated character or pair does not count as length. */
    static final int MIN_DIFFERENT = 5;

    /**
     * Refuses a passphrase too weak to be worth PBKDF2's 600,000 iterations: a copy of the keys directory
     * is open to guessing offline, at any speed, for ever. Checked when a vault is created, never when one
     * is opened: keys already encrypted under a shorter passphrase keep working (re-encrypt them to change it).
     * A generated passphrase (32 random bytes) always passes.
     */
    public void requireStrongForANewVault() {
        long length = java.nio.CharBuffer.wrap(value).codePoints().count();
        long different = java.nio.CharBuffer.wrap(value).codePoints().distinct().count();
        if (length < MIN_LENGTH || different < MIN_DIFFERENT) {
            throw HallmarkException.badInput("the vault passphrase from " + source + " is too weak for a new vault: use at least " + MIN_LENGTH
                    + " characters, " + MIN_DIFFERENT + " of them different (or set none and let init generate one)");
        }
    }

    public static Path defaultFile(Path dataDir) {
        return dataDir.resolve("vault.pass");
    }

    /** Resolves the passphrase; with {@code createIfMissing} writes a fresh random key file if none exists. */
    public static Passphrase resolve(Path dataDir, boolean createIfMissing) {
        String env = System.getenv(ENV);
        if (env != null && !env.isEmpty()) {
            return new Passphrase(env.toCharArray(), "$" + ENV, false);
        }
        String fileEnv = System.getenv(FILE_ENV);
        Path file = fileEnv != null && !fileEnv.isEmpty() ? Path.of(fileEnv) : defaultFile(dataDir);
        if (Files.exists(file)) {
            return new Passphrase(read(file), file.toString(), false);
        }
        if (!createIfMissing) {
            throw HallmarkException.badInput("no vault passphrase: set " + ENV + " or create " + file + " (mode 0600)");
        }
        return new Passphrase(create(file), file.toString(), true);
    }

    private static char[] read(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw HallmarkException.badInput("refusing passphrase file " + file + " with mode "
                        + PosixFilePermissions.toString(permissions) + ": make it readable by its owner only (chmod 600)");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw HallmarkException.badInput("passphrase file " + file + " is empty");
            }
            return text.toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static char[] create(Path file) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        OwnerOnlyFile.create(file, (text + "\n").getBytes(StandardCharsets.UTF_8));
        return text.toCharArray();
    }
}
