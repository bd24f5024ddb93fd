package io.hallmark.core.vault;

import io.hallmark.core.error.HallmarkException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where a PKCS#11 token is: the vendor's library, the token's label, and the file the PIN is read from. For the
 * installation's CA token it is kept in the data directory ({@link #FILE}) so that {@code serve} and every later
 * command find the keys {@code init --vault pkcs11} made; it holds the PIN file's path, never the PIN. A factory
 * station names each device's token the same way ({@link DeviceToken}), and keeps nothing.
 */
public record Pkcs11Settings(Path library, String token, Path pinFile) {

    public static final String FILE = "pkcs11.properties";

    public Pkcs11Settings {
        if (library == null || token == null || token.isBlank() || pinFile == null) {
            throw HallmarkException.badInput("the PKCS#11 vault needs --pkcs11-library, --pkcs11-token and --pkcs11-pin-file");
        }
        library = library.toAbsolutePath();
        pinFile = pinFile.toAbsolutePath();
        if (token.getBytes(StandardCharsets.UTF_8).length > 32) {
            throw HallmarkException.badInput("PKCS#11 token label '" + token + "' is longer than 32 bytes, the most a token label holds");
        }
    }

    /** The PIN, read when the token is logged in to: a trailing newline (echo > file) is not part of it. */
    char[] pin() {
        try {
            String pin = Files.readString(pinFile, StandardCharsets.UTF_8).strip();
            if (pin.isEmpty()) throw HallmarkException.badInput("PKCS#11 PIN file " + pinFile + " is empty");
            return pin.toCharArray();
        } catch (java.nio.file.NoSuchFileException e) {
            throw HallmarkException.notFound("PKCS#11 PIN file " + pinFile + " does not exist");
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot read the PKCS#11 PIN file " + pinFile + ": " + e.getMessage());
        }
    }

    /** Checks what can be checked before the token is touched: the library and the PIN file exist. */
    public Pkcs11Settings check() {
        if (!Files.isRegularFile(library)) {
            throw HallmarkException.notFound("PKCS#11 library " + library + " does not exist (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so)");
        }
        pin();
        return this;
    }

    public static java.util.Optional<Pkcs11Settings> read(Path data) {
        Path file = data.resolve(FILE);
        if (!Files.exists(file)) return java.util.Optional.empty();
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String library = p.getProperty("library");
        String pin = p.getProperty("pin-file");
        if (library == null || pin == null) {
            throw HallmarkException.badInput(file + " lacks 'library' or 'pin-file'");
        }
        return java.util.Optional.of(new Pkcs11Settings(Path.of(library), p.getProperty("token"), Path.of(pin)));
    }

    public void write(Path data) {
        Properties p = new Properties();
        p.setProperty("library", library.toString());
        p.setProperty("token", token);
        p.setProperty("pin-file", pinFile.toString());
        try {
            if (!Files.exists(data)) {
                // the data directory is its owner's alone (JdbcStore narrows it, and warns, if it finds it wider)
                Files.createDirectories(data, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
            try (var out = Files.newBufferedWriter(data.resolve(FILE), StandardCharsets.UTF_8)) {
                p.store(out, "Hallmark PKCS#11 vault: the token holding the CA keys (the PIN stays in pin-file)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + data.resolve(FILE), e);
        }
    }
}
