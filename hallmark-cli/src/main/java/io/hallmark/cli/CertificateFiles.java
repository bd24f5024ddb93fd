package io.hallmark.cli;

import io.hallmark.core.ca.CertificateImporter;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Certificates to bring into the inventory, read from a directory or a CSV list, for {@code cert import} and
 * {@code import fleet}; and the report both print. Every read is bounded: a certificate file (or a PEM bundle of a few)
 * by {@link #MAX_FILE}, the CSV by {@link #MAX_CSV}.
 */
final class CertificateFiles {

    /** A certificate file (or a PEM bundle of a few) is never larger. */
    static final int MAX_FILE = 1024 * 1024;
    /** A CSV of a million lines is still only tens of MiB; anything bigger is not a list of certificate files. */
    static final int MAX_CSV = 64 * 1024 * 1024;

    /** What was read: the certificates to import, and the files that could not be read at all. */
    record Read(List<CertificateImporter.Item> items, List<CertificateImporter.Outcome> unreadable) {
    }

    private record Source(Path file, String device) {
    }

    private CertificateFiles() {
    }

    /**
     * @param dir      a directory of *.pem, *.crt, *.cer and *.der files, or null
     * @param csv      lines 'file[,device]', or null; exactly one of the two
     * @param deviceOf the device id of an item that has none from the CSV (identity: keep it absent)
     */
    static Read read(Path dir, Path csv, UnaryOperator<CertificateImporter.Item> deviceOf) {
        if ((dir == null) == (csv == null)) {
            throw HallmarkException.badInput("give a directory or --csv FILE (one of them)");
        }
        List<CertificateImporter.Item> items = new ArrayList<>();
        List<CertificateImporter.Outcome> unreadable = new ArrayList<>();
        for (Source s : dir != null ? fromDirectory(dir) : fromCsv(csv)) {
            try {
                byte[] bytes = BoundedFiles.read(s.file(), MAX_FILE);
                List<byte[]> blocks = Pem.blocks(bytes, "CERTIFICATE");
                if (blocks.size() <= 1) {
                    items.add(device(new CertificateImporter.Item(s.file().toString(), bytes, s.device()), deviceOf));
                } else {
                    for (int i = 0; i < blocks.size(); i++) {
                        items.add(device(new CertificateImporter.Item(s.file() + "#" + (i + 1), blocks.get(i), s.device()), deviceOf));
                    }
                }
            } catch (HallmarkException e) {
                unreadable.add(new CertificateImporter.Outcome(s.file().toString(), "failed", null, null, e.getMessage()));
            }
        }
        return new Read(items, unreadable);
    }

    private static CertificateImporter.Item device(CertificateImporter.Item item, UnaryOperator<CertificateImporter.Item> deviceOf) {
        return item.deviceId() != null ? item : deviceOf.apply(item);
    }

    /** Imports what was read and prints the report (JSON or one line, problems on stderr); the exit code: 3 if any failed. */
    static int importAndReport(io.hallmark.core.Hallmark hallmark, Read read, boolean json) {
        int total = read.items().size();
        CertificateImporter.Report report = hallmark.certificateImporter().importAll(read.items(), HallmarkCommand.actor(), done -> {
            if (!json && done % 1000 == 0) System.err.println("hallmark: " + done + " of " + total + " checked");
        });
        List<CertificateImporter.Outcome> all = new ArrayList<>(read.unreadable());
        all.addAll(report.items());
        report = new CertificateImporter.Report(report.imported(), report.existing(), report.failed() + read.unreadable().size(), all);
        if (json) {
            Output.json(report);
        } else {
            for (CertificateImporter.Outcome o : report.items()) {
                if (o.problem() != null) System.err.println("hallmark: " + Output.safe(o.source()) + ": " + Output.safe(o.problem()));
            }
            System.out.println("imported " + report.imported() + ", already present " + report.existing() + ", failed " + report.failed());
        }
        return report.failed() == 0 ? 0 : ExitCodes.BAD_INPUT;
    }

    private static List<Source> fromDirectory(Path dir) {
        if (!Files.isDirectory(dir)) throw HallmarkException.badInput(dir + " is not a directory");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().matches("(?i).*\\.(pem|crt|cer|der)"))
                    .sorted().map(f -> new Source(f, null)).toList();
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static List<Source> fromCsv(Path csv) {
        String text = new String(BoundedFiles.read(csv, MAX_CSV), StandardCharsets.UTF_8);
        Path base = csv.toAbsolutePath().getParent();
        List<Source> sources = new ArrayList<>();
        int n = 0;
        for (String line : text.lines().toList()) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || (n == 1 && l.toLowerCase(java.util.Locale.ROOT).startsWith("file"))) continue;
            String[] fields = l.split(",", -1);
            if (fields.length > 2 || fields[0].isBlank()) {
                throw HallmarkException.badInput(csv + " line " + n + ": expected 'file[,device]'");
            }
            String device = fields.length == 2 && !fields[1].isBlank() ? fields[1].strip() : null;
            if (device != null && !validDevice(device)) {
                throw HallmarkException.badInput(csv + " line " + n + ": a device id has at most 64 characters, none of them control characters");
            }
            sources.add(new Source(base.resolve(fields[0].strip()), device));
        }
        return sources;
    }

    static boolean validDevice(String device) {
        return !device.isEmpty() && device.length() <= 64 && device.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }
}
