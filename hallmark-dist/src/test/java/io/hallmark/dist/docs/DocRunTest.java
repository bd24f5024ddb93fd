package io.hallmark.dist.docs;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The docs runner itself, on small Markdown files: it runs what it should, skips what it should, and fails loudly. */
class DocRunTest {

    @TempDir
    Path root;

    private DocRun.Outcome run(String markdown) throws Exception {
        Files.writeString(root.resolve("doc.md"), markdown);
        Path file = Path.of("doc.md");
        return new DocRun(root, file, DocBlocks.parse(root, file), root.resolve("work"), "echo hallmark-stand-in", Duration.ofSeconds(60)).run();
    }

    @Test
    void blocksShareOneSessionAndTheSkippedOnesAreNotRun() throws Exception {
        DocRun.Outcome ok = run("""
                # A page

                ```sh
                X=42
                echo one > file.txt
                ```

                ```sh synopsis
                hallmark frobnicate [OPTIONS] FILE
                ```

                ```sh no-run: needs a hardware token
                false
                ```

                ```yaml
                not: run
                ```

                - in a list:

                  ```sh
                  [ "$X" = 42 ] && grep -q one file.txt
                  ./hallmark version | grep -q stand-in && hallmark version | grep -q stand-in
                  ```
                """);
        assertTrue(ok.passed(), ok.report());
        assertTrue(ok.report().contains("2 blocks ran"), ok.report());
    }

    @Test
    void aFailingCommandNamesItsFileLineAndOutput() throws Exception {
        DocRun.Outcome failed = run("""
                # A page

                ```sh
                echo first
                ```

                ```sh
                echo "about to fail"
                ls no-such-file | cat
                echo never
                ```
                """);
        assertFalse(failed.passed());
        assertTrue(failed.report().startsWith("doc.md:7: the block failed: exit status 2 at doc.md:9: ls no-such-file | cat"), failed.report());
        assertTrue(failed.report().contains("about to fail") && failed.report().contains("No such file"), failed.report());
        assertFalse(failed.report().contains("never"), failed.report());
    }

    @Test
    void aBlockThatShowsAnErrorMustEndWithThatStatus() throws Exception {
        assertTrue(run("```sh exit=3\necho x\nexit 3\n```\n").passed());
        DocRun.Outcome other = run("```sh exit=3\ntrue\n```\n");
        assertFalse(other.passed());
        assertTrue(other.report().contains("exit status 0 where the text says 3"), other.report());
    }

    @Test
    void aBackgroundServerIsWaitedForOnAFreePortAndStoppedAtTheEnd() throws Exception {
        Path python = Peers.tool("python3");
        DocRun.Outcome ok = run("""
                ```sh background port=8883
                echo serving on 8883
                exec %s -m http.server 8883 --bind 127.0.0.1
                ```

                ```sh
                curl -fsS http://127.0.0.1:8883/ > listing.html
                echo 8883 > port.txt
                ```
                """.formatted(python));
        assertTrue(ok.passed(), ok.report());
        int port = Integer.parseInt(Files.readString(root.resolve("work/work/port.txt")).strip());
        String log = Files.readString(root.resolve("work/run/background-1.log"));
        assertTrue(log.contains("serving on " + port), log);
        // Stopped: nothing listens there any more.
        assertFalse(listening(port), "the background server was stopped");
    }

    @Test
    void aBackgroundBlockThatExitsFailsWithItsLog() throws Exception {
        DocRun.Outcome failed = run("""
                ```sh background port=8443
                echo "cannot bind: port taken"
                exit 1
                ```

                ```sh
                echo unreachable
                ```
                """);
        assertFalse(failed.passed());
        assertTrue(failed.report().startsWith("doc.md:1: the block failed: exited before anything listened on port"), failed.report());
        assertTrue(failed.report().contains("cannot bind: port taken"), failed.report());
    }

    @Test
    void theConventionIsEnforced() {
        List<DocBlock> blocks = DocBlocks.parse(write("""
                ```
                ./hallmark init
                ```

                ```sh no-rnu
                true
                ```

                ```sh background
                ./hallmark serve
                ```

                ```
                hallmark: an error message, not a command
                ```
                """), Path.of("doc.md"));
        List<String> problems = DocBlocks.problems(blocks);
        assertEquals(3, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("doc.md:1: commands in a block without a language"), problems::toString);
        assertTrue(problems.get(1).startsWith("doc.md:5: unknown flag 'no-rnu'"), problems::toString);
        assertTrue(problems.get(2).startsWith("doc.md:9: a background block needs port=N"), problems::toString);
    }

    private Path write(String markdown) {
        try {
            Files.writeString(root.resolve("doc.md"), markdown);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return root;
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
