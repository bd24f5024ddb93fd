package io.hallmark.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hallmark.core.text.SafeText;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Text for people, JSON for machines: every listing and report takes {@code --json}. The one way values
 * reach the terminal: subjects, device ids and audit details are chosen by devices and partners, so
 * text output escapes control characters ({@link SafeText#escape}: ESC shows as {@code \x1b}) and JSON
 * output writes them as JSON escapes (Jackson escapes only C0 by itself; {@link SafeText#jsonEscapes}
 * adds DEL, C1, bidi controls and U+2028/U+2029). A command printing such a value outside a table or
 * field list passes it through {@link #safe}. Public for the commands of other modules ({@link ModuleCommand}).
 */
public final class Output {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    static {
        JSON.getFactory().setCharacterEscapes(SafeText.jsonEscapes());
    }

    /** Mixed into commands that list or report. */
    public static final class JsonOption {
        @Option(names = "--json", description = "Print JSON instead of text. Text shows control characters in names escaped "
                + "(ESC as \\x1b, newline as \\n); JSON keeps the exact values.")
        public boolean json;
    }

    private Output() {
    }

    /** {@code value} as text a terminal shows as it is: control characters escaped; null stays null. */
    public static String safe(Object value) {
        return value == null ? null : SafeText.escape(value.toString());
    }

    /** {@code value} as a JSON tree, written as {@link #json} would, for a report that adds a field to another's. */
    public static com.fasterxml.jackson.databind.node.ObjectNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    public static void json(Object value) {
        try {
            System.out.println(JSON.writeValueAsString(value));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A JSON array written element by element as the caller hands them over (Jackson's streaming generator under
     * {@link com.fasterxml.jackson.databind.SequenceWriter}): a listing of any length in bounded memory, the same JSON
     * as {@link #json} of the whole list. Close it to end the array.
     */
    public static JsonArray jsonArray() {
        try {
            // Closing the array must not close System.out: what follows (a notice, the exit) still writes to it.
            java.io.OutputStream out = new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    System.out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    System.out.write(b, off, len);
                }

                @Override
                public void flush() {
                    System.out.flush();
                }
            };
            return new JsonArray(JSON.writer().writeValuesAsArray(new java.io.BufferedOutputStream(out, 1 << 16)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** See {@link #jsonArray()}. */
    public static final class JsonArray implements AutoCloseable {
        private final com.fasterxml.jackson.databind.SequenceWriter writer;

        private JsonArray(com.fasterxml.jackson.databind.SequenceWriter writer) {
            this.writer = writer;
        }

        public void add(Object value) {
            try {
                writer.write(value);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                writer.close();
                System.out.println();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Prints rows as aligned columns under a header. */
    public static void table(PrintStream out, List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        for (List<String> row : rows) {
            all.add(row.stream().map(Output::safe).toList()); // escaped before measuring, so columns stay aligned
        }
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
    public static void fields(PrintStream out, Object... keyValues) {
        int w = 0;
        for (int i = 0; i < keyValues.length; i += 2) {
            w = Math.max(w, keyValues[i].toString().length());
        }
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                out.printf("%-" + (w + 1) + "s %s%n", keyValues[i] + ":", safe(keyValues[i + 1]));
            }
        }
    }
}
