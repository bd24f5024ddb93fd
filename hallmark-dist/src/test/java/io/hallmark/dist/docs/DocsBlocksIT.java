package io.hallmark.dist.docs;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The docs work as written: every shell block of README.md and docs/*.md runs, in order, as a reader would copy
 * them, in a fresh directory with {@code hallmark} on the PATH. Runs in {@code ./mvnw verify} after the launcher's
 * jar is packaged (hallmark-dist, phase integration-test), so it runs what an operator runs.
 *
 * <h2>The convention (also in docs/README.md)</h2>
 * <ul>
 * <li>```sh (or bash, shell): runs. The blocks of one file share one bash session ({@code set -e -o pipefail}):
 *     variables and files made by one are there for the next. The directory starts empty; {@code ./hallmark} and
 *     {@code hallmark} both run the command under test.</li>
 * <li>```sh synopsis: a usage summary ([OPTIONS], FILE, NAME...); never run.</li>
 * <li>```sh no-run or ```sh no-run:why : not run here (benchmarks, hardware, system paths such as /etc, long jobs).</li>
 * <li>```sh background port=8443: a server. Started in the background in its own process group, the next block
 *     runs once the port answers; stopped (SIGTERM) when the file is done.</li>
 * <li>```sh exit=2: the block shows an error; it must end with that exit status.</li>
 * <li>Any other language (yaml, ini, json, java, text) is content, not run. A block without a language must not
 *     hold commands (hallmark, openssl, curl, ...): the runner refuses it, so nothing is skipped by accident.</li>
 * <li>Ports 8443, 8080, 8883 and 8081 written in a block are replaced by free ports, the same ones for the whole file;
 *     {@code serve} and {@code quickstart} without {@code --listen} use them too (HALLMARK_LISTEN,
 *     HALLMARK_HTTP_LISTEN). Host names such as pki.example.com may stay when nothing has to resolve them.</li>
 * </ul>
 *
 * <p>A failing block fails the file's test with the file and line of the failing command, the block's output and
 * the background servers' logs; the directory is kept under {@code hallmark-dist/target/docs/}.
 *
 * <p>Options: {@code -Dhallmark.docs=README.md,docs/server.md} runs only those files (any Markdown file, e.g. a new
 * one); {@code -Dhallmark.docs.command='/usr/bin/hallmark'} runs another hallmark (an installed package) instead of
 * the jar just built; {@code -Dhallmark.docs.timeout=300} seconds per file. {@code scripts/run-docs.sh [FILE...]}
 * runs it from the command line.
 */
class DocsBlocksIT {

    static final Path ROOT = repository();

    private static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("mvnw"))) return p;
        }
        throw new IllegalStateException("no repository above " + Path.of("").toAbsolutePath());
    }

    static List<Path> files() throws IOException {
        String chosen = System.getProperty("hallmark.docs", "");
        if (!chosen.isBlank()) return Stream.of(chosen.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of).toList();
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).map(ROOT::relativize).sorted().forEach(files::add);
        }
        return files;
    }

    @TestFactory
    Stream<DynamicTest> everyFileRunsAsWritten() throws IOException {
        // -Dtest=DocsBlocksIT selects it in the test phase as well, before the jar is packaged: it runs in the second.
        if (Boolean.getBoolean("hallmark.docs.skip") && Peers.required()) {
            fail("-Dhallmark.docs.skip=true is for a developer's quick build; in CI every command block runs");
        }
        Assumptions.assumeFalse(Boolean.getBoolean("hallmark.docs.skip"), "-Dhallmark.docs.skip=true");
        Assumptions.assumeTrue(Boolean.getBoolean("hallmark.docs.packaged"),
                "the docs runner runs in the integration-test phase, after package (./mvnw verify), against the jar it packaged");
        String command = command();
        Duration timeout = Duration.ofSeconds(Long.getLong("hallmark.docs.timeout", 300));
        return files().stream().map(file -> DynamicTest.dynamicTest(file.toString(), () -> {
            for (String tool : List.of("bash", "setsid", "openssl", "curl", "unzip", "mosquitto", "mosquitto_pub", "mosquitto_sub")) Peers.tool(tool);
            List<DocBlock> blocks = DocBlocks.parse(ROOT, file);
            Path work = ROOT.resolve("hallmark-dist/target/docs").resolve(file.toString().replace('/', '_').replace(".md", ""));
            long t0 = System.nanoTime();
            DocRun.Outcome outcome = new DocRun(ROOT, file, blocks, work, command, timeout).run();
            if (!outcome.passed()) fail(outcome.report());
            System.out.printf("docs: %s in %.1f s%n", outcome.report(), (System.nanoTime() - t0) / 1e9);
        }));
    }

    /** The jar `./hallmark` runs, started as the launcher starts it, unless another command is named. */
    private static String command() {
        String named = System.getProperty("hallmark.docs.command", "");
        if (!named.isBlank()) return named;
        Path jar = ROOT.resolve("hallmark-dist/target/hallmark.jar");
        if (!Files.isRegularFile(jar)) fail(jar + " is not built: this test runs after `package` (./mvnw verify)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only: the docs run many short commands, and C2 compiling for each of them costs more than it saves.
        return "'" + java + "' -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED ${HALLMARK_JAVA_OPTS:-} -jar '" + jar + "'";
    }
}
