package io.hallmark.device;

import io.hallmark.core.error.HallmarkException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Passwords and PINs come in files, never on the command line (where `ps` would show them). */
public final class SecretFiles {

    private static final long MAX_BYTES = 4096;

    private SecretFiles() {
    }

    /** The file's first line, without its line break (as `openssl -passin file:` reads it). */
    public static char[] firstLine(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) throw HallmarkException.badInput(file + " is larger than " + MAX_BYTES + " bytes: not a password file");
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            return (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).toCharArray();
        } catch (NoSuchFileException e) {
            throw HallmarkException.notFound("no such file: " + file);
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot read " + file + ": " + e.getMessage());
        }
    }
}
