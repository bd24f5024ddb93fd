package io.hallmark.dist.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fenced code blocks of a Markdown file (CommonMark fences: three or more backticks or tildes, closed by as many). */
final class DocBlocks {

    private static final Pattern FENCE = Pattern.compile("^( {0,3})(`{3,}|~{3,})(.*)$");

    /** A line that runs a command someone would copy: what an unmarked block must not hold. */
    private static final Pattern COMMAND = Pattern.compile(
            "^\\s*(\\$ )?(sudo )?((\\./)?hallmark|openssl|curl|mosquitto\\w*|systemctl|apt|apt-get|psql|\\./mvnw|scripts/\\S+)( |$)");

    private static final List<String> FLAGS = List.of("synopsis", "no-run", "background");

    private DocBlocks() {
    }

    static List<DocBlock> parse(Path root, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(root.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<DocBlock> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) continue;
            String fence = open.group(2);
            int indent = open.group(1).length();
            List<String> body = new ArrayList<>();
            int j = i + 1;
            for (; j < lines.size(); j++) {
                String l = lines.get(j);
                if (l.strip().startsWith(fence) && l.strip().chars().allMatch(c -> c == fence.charAt(0))) break;
                // Inside a list item the block is indented: take that indentation off, as Markdown does.
                body.add(l.length() >= indent && l.substring(0, indent).isBlank() ? l.substring(indent) : l.stripLeading());
            }
            blocks.add(new DocBlock(file, i + 1, open.group(3).strip(), List.copyOf(body)));
            i = j;
        }
        return blocks;
    }

    /**
     * Blocks that break the convention: an unknown flag (a typo would silently skip a block), a background block
     * without its port, or commands in a block that says no language (it would be skipped without anyone deciding so; ```text says
     * "a diagram or output, not run" on purpose).
     */
    static List<String> problems(List<DocBlock> blocks) {
        List<String> problems = new ArrayList<>();
        for (DocBlock b : blocks) {
            if (DocBlock.SHELLS.contains(b.language())) {
                for (String flag : b.flags()) {
                    boolean known = FLAGS.contains(flag) || flag.startsWith("no-run") || flag.matches("(port|exit)=\\d+");
                    if (!known) problems.add(b.where() + ": unknown flag '" + flag + "' (known: synopsis, no-run[:why], background port=N, exit=N)");
                }
                if (b.kind() == DocBlock.Kind.BACKGROUND && b.port().isEmpty()) {
                    problems.add(b.where() + ": a background block needs port=N, the port it listens on when ready");
                }
            } else if (b.language().isEmpty()) {
                b.body().stream().filter(l -> COMMAND.matcher(l).find()).findFirst().ifPresent(l -> problems.add(b.where()
                        + ": commands in a block without a language; mark it ```sh (runs), ```sh synopsis or ```sh no-run: " + l.strip()));
            }
        }
        return problems;
    }
}
