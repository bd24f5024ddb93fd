package io.hallmark.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Text for people, JSON for machines: every listing and report takes {@code --json}. */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    /** Mixed into commands that list or report. */
    static final class JsonOption {
        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;
    }

    private Output() {
    }

    static void json(Object value) {
        try {
            System.out.println(JSON.writeValueAsString(value));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints rows as aligned columns under a header. */
    static void table(PrintStream out, List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] width = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], String.valueOf(row.get(i)).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i) == null ? "-" : row.get(i);
                line.append(i == row.size() - 1 ? cell : String.format("%-" + width[i] + "s  ", cell));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** "key: value" lines, aligned, skipping nulls. */
    static void fields(PrintStream out, Object... keyValues) {
        int w = 0;
        for (int i = 0; i < keyValues.length; i += 2) {
            w = Math.max(w, keyValues[i].toString().length());
        }
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                out.printf("%-" + (w + 1) + "s %s%n", keyValues[i] + ":", keyValues[i + 1]);
            }
        }
    }
}
