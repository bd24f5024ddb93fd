package io.hallmark.dist.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every block of README.md and docs/ is marked as the docs runner's convention says (DocsBlocksIT); no jar needed. */
class DocsConventionTest {

    @Test
    void everyBlockFollowsTheConvention() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : DocsBlocksIT.files()) problems.addAll(DocBlocks.problems(DocBlocks.parse(DocsBlocksIT.ROOT, file)));
        assertTrue(problems.isEmpty(), () -> "blocks that break the docs convention (see DocsBlocksIT):\n" + String.join("\n", problems));
    }

    /** A measurement whose script is gone cannot be repeated: every `scripts/NAME` a page cites is in the repository. */
    @Test
    void everyCitedScriptExists() throws IOException {
        List<String> missing = new ArrayList<>();
        Pattern cited = Pattern.compile("(?<![\\w/.])scripts/[A-Za-z0-9_.-]*[A-Za-z0-9_]");
        for (Path file : DocsBlocksIT.files()) {
            List<String> lines = Files.readAllLines(DocsBlocksIT.ROOT.resolve(file));
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = cited.matcher(lines.get(i));
                while (m.find()) {
                    if (!Files.exists(DocsBlocksIT.ROOT.resolve(m.group()))) missing.add(file + ":" + (i + 1) + ": " + m.group());
                }
            }
        }
        assertTrue(missing.isEmpty(), () -> "scripts cited but not in the repository:\n" + String.join("\n", missing));
    }
}
