package io.hallmark.dist.docs;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * One fenced code block of a Markdown file, and what the docs runner does with it (see {@link DocsBlocksIT} for the
 * convention).
 *
 * @param file  the Markdown file, relative to the repository
 * @param line  line number of the opening fence (1-based), what a failure names
 * @param info  the info string after the fence, e.g. {@code sh background port=8443}
 * @param body  the lines between the fences
 */
record DocBlock(Path file, int line, String info, List<String> body) {

    enum Kind {
        /** Run in the file's shell session; a failing command fails the file. */
        RUN,
        /** Started in the background (a server); the next block runs once its port answers. */
        BACKGROUND,
        /** A usage summary with placeholders ([OPTIONS], FILE): read, never run. */
        SYNOPSIS,
        /** A command not run here: a benchmark, hardware, a system path, a long job; the reason may follow. */
        NO_RUN,
        /** Not a shell block: a file's content (yaml, ini, json), output, code in another language. */
        OTHER
    }

    static final List<String> SHELLS = List.of("sh", "bash", "shell");

    String language() {
        String[] words = info.strip().split("\\s+");
        return words[0];
    }

    /** The words after the language; after {@code no-run} the rest is its reason, free text. */
    List<String> flags() {
        String[] words = info.strip().split("\\s+");
        List<String> flags = new java.util.ArrayList<>();
        for (int i = 1; i < words.length; i++) {
            flags.add(words[i]);
            if (words[i].startsWith("no-run")) break;
        }
        return flags;
    }

    Kind kind() {
        if (!SHELLS.contains(language())) return Kind.OTHER;
        List<String> flags = flags();
        if (flags.contains("synopsis")) return Kind.SYNOPSIS;
        if (flags.stream().anyMatch(f -> f.startsWith("no-run"))) return Kind.NO_RUN;
        if (flags.contains("background")) return Kind.BACKGROUND;
        return Kind.RUN;
    }

    /** {@code port=N}: a background block is ready once something listens on (the free port standing for) N. */
    OptionalInt port() {
        return flag("port");
    }

    /** {@code exit=N}: the block is expected to fail with this exit code (an error the text shows). */
    OptionalInt exit() {
        return flag("exit");
    }

    private OptionalInt flag(String name) {
        return flags().stream().filter(f -> f.startsWith(name + "=")).mapToInt(f -> Integer.parseInt(f.substring(name.length() + 1))).findFirst();
    }

    String where() {
        return file + ":" + line;
    }
}
