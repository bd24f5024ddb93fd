package io.hallmark.cli;

import io.hallmark.core.ca.CertificateImporter;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "import", description = {"Bring certificates issued before Hallmark took their CA over into the inventory, so they can be "
        + "listed, revoked and answered for by OCSP.",
        "DIR: every *.pem, *.crt, *.cer and *.der file in it (a PEM file may hold several certificates). --csv FILE: lines "
                + "'file[,device]' (an optional header line starting with 'file'; paths relative to the CSV's directory).",
        "Each certificate must carry the signature of a CA Hallmark knows. Serials already stored are skipped, so importing again "
                + "is harmless. Bad files are reported one by one; exit 3 if any failed, 0 otherwise."})
final class CertImportCommand implements Callable<Integer> {

    /** A certificate file (or a PEM bundle of a few) is never larger. */
    static final int MAX_FILE = 1024 * 1024;
    /** A CSV of a million lines is still only tens of MiB; anything bigger is not a list of certificate files. */
    static final int MAX_CSV = 64 * 1024 * 1024;

    @ParentCommand
    CertCommand cert;
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "A directory of certificate files.")
    Path dir;
    @Option(names = "--csv", paramLabel = "FILE", description = "A list of certificate files, one per line, with an optional device id.")
    Path csv;
    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
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
                    items.add(new CertificateImporter.Item(s.file().toString(), bytes, s.device()));
                } else {
                    for (int i = 0; i < blocks.size(); i++) {
                        items.add(new CertificateImporter.Item(s.file() + "#" + (i + 1), blocks.get(i), s.device()));
                    }
                }
            } catch (HallmarkException e) {
                unreadable.add(new CertificateImporter.Outcome(s.file().toString(), "failed", null, null, e.getMessage()));
            }
        }
        var hallmark = cert.root.open();
        int total = items.size();
        CertificateImporter.Report report = hallmark.certificateImporter().importAll(items, HallmarkCommand.actor(), done -> {
            if (!output.json && done % 1000 == 0) System.err.println("hallmark: " + done + " of " + total + " checked");
        });
        List<CertificateImporter.Outcome> all = new ArrayList<>(unreadable);
        all.addAll(report.items());
        report = new CertificateImporter.Report(report.imported(), report.existing(), report.failed() + unreadable.size(), all);
        if (output.json) {
            Output.json(report);
        } else {
            for (CertificateImporter.Outcome o : report.items()) {
                if (o.problem() != null) System.err.println("hallmark: " + Output.safe(o.source()) + ": " + Output.safe(o.problem()));
            }
            System.out.println("imported " + report.imported() + ", already present " + report.existing() + ", failed " + report.failed());
        }
        return report.failed() == 0 ? 0 : ExitCodes.BAD_INPUT;
    }

    record Source(Path file, String device) {
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
            if (device != null && (device.length() > 64 || device.chars().anyMatch(c -> c < 0x20))) {
                throw HallmarkException.badInput(csv + " line " + n + ": a device id has at most 64 characters, none of them control characters");
            }
            sources.add(new Source(base.resolve(fields[0].strip()), device));
        }
        return sources;
    }
}
