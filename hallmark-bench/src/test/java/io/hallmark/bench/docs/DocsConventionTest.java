package io.hallmark.bench.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every block of README.md and docs/ is marked as the docs runner's convention says (DocsBlocksIT); no jar needed. */
class DocsConventionTest {

    @Test
    void everyBlockFollowsTheConvention() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : DocsBlocksIT.files()) problems.addAll(DocBlocks.problems(DocBlocks.parse(DocsBlocksIT.ROOT, file)));
        assertTrue(problems.isEmpty(), () -> "blocks that break the docs convention (see DocsBlocksIT):\n" + String.join("\n", problems));
    }
}
