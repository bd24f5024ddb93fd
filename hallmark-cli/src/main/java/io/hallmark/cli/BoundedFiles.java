package io.hallmark.cli;

import io.hallmark.core.error.HallmarkException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a small input file whole, refusing one larger than its kind can be (so a wrong path cannot fill memory). */
final class BoundedFiles {

    private BoundedFiles() {
    }

    static byte[] read(Path file, int max) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw HallmarkException.badInput(file + " is larger than " + max / 1024 + " KiB; it is not what it should be");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw HallmarkException.badInput("no such file: " + file);
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot read " + file + ": " + e.getMessage());
        }
    }
}
