package io.hallmark.dist.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the blocks of one Markdown file, in order, in one bash session in a fresh directory: what a reader who
 * copies them one after the other would do. Variables set by one block are seen by the next; a failing command
 * ends the session and names its line in the file.
 *
 * <p>The session is a generated script that {@code source}s each block with {@code set -eE -o pipefail}; an ERR
 * trap records the failing block file, line and status. Background blocks run under {@code setsid} (their own
 * process group, so a server and the JVM it starts are stopped together at the end) and the next block starts
 * once their port answers.
 */
final class DocRun {

    /** The ports the docs show; each is replaced by a free one in every block of a file. */
    static final List<Integer> DOCUMENTED_PORTS = List.of(8443, 8080, 8883, 8081);

    record Outcome(boolean passed, String report) {
    }

    private final Path root;
    private final Path file;
    private final List<DocBlock> blocks;
    private final Path work;
    private final String hallmark;
    private final Duration timeout;
    private final Map<Integer, Integer> ports = new LinkedHashMap<>();

    /**
     * @param hallmark the command that runs hallmark (a shell word list, e.g. {@code java -jar .../hallmark.jar})
     * @param work     emptied, then the directory the blocks run in (kept afterwards, to look at after a failure)
     */
    DocRun(Path root, Path file, List<DocBlock> blocks, Path work, String hallmark, Duration timeout) {
        this.root = root;
        this.file = file;
        this.blocks = blocks;
        this.work = work;
        this.hallmark = hallmark;
        this.timeout = timeout;
    }

    Outcome run() throws IOException, InterruptedException {
        deleteTree(work);
        Path dir = Files.createDirectories(work.resolve("work"));   // the reader's current directory
        Path run = Files.createDirectories(work.resolve("run"));    // the session's own files, out of the reader's way
        Path bin = Files.createDirectories(run.resolve("bin"));
        Path home = Files.createDirectories(run.resolve("home"));
        for (int documented : DOCUMENTED_PORTS) ports.put(documented, freePort());

        // `./hallmark` (README, from a checkout) and `hallmark` (installed) are the same command here.
        String shim = "#!/usr/bin/env bash\nexec " + hallmark + " \"$@\"\n";
        executable(dir.resolve("hallmark"), shim);
        executable(bin.resolve("hallmark"), shim);

        StringBuilder session = new StringBuilder("""
                # Generated from %s by the docs runner (DocsBlocksIT); one reader's shell session.
                set -o pipefail
                __bg=()
                __stop() {
                  local p i
                  for p in "${__bg[@]}"; do kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null; done
                  for p in "${__bg[@]}"; do
                    for i in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
                    kill -KILL -- "-$p" 2>/dev/null || true
                  done
                }
                trap __stop EXIT
                __fail() { echo "$1 $2 $3" > "$__RUN/failed"; exit 1; }
                __wait_port() { # port pid block
                  local i
                  for i in $(seq 1200); do
                    if (exec 9<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
                    kill -0 "$2" 2>/dev/null || __fail 1 "$3" "exited before anything listened on port $1"
                    sleep 0.1
                  done
                  __fail 1 "$3" "nothing listened on port $1 within 120 s"
                }
                """.formatted(file));
        int index = 0;
        for (DocBlock b : blocks) {
            DocBlock.Kind kind = b.kind();
            if (kind != DocBlock.Kind.RUN && kind != DocBlock.Kind.BACKGROUND) continue;
            index++;
            Path script = run.resolve("block-" + b.line() + ".sh");
            Files.writeString(script, String.join("\n", b.body().stream().map(this::substitutePorts).toList()) + "\n");
            session.append("\nprintf '\\n### %s:%d\\n' '").append(file).append("' ").append(b.line()).append('\n');
            session.append("echo ").append(b.line()).append(" > \"$__RUN/current\"\n");
            if (kind == DocBlock.Kind.BACKGROUND) {
                Path log = run.resolve("background-" + b.line() + ".log");
                session.append("setsid bash -e -o pipefail '").append(script).append("' > '").append(log).append("' 2>&1 < /dev/null &\n");
                session.append("__bg+=($!)\n");
                session.append("__wait_port ").append(ports.getOrDefault(b.port().getAsInt(), b.port().getAsInt())).append(" $! ").append(b.line()).append('\n');
            } else if (b.exit().isPresent()) {
                session.append("( set -eE; trap 'echo \"$? $LINENO\" > \"$__RUN/last-error\"' ERR; source '").append(script).append("' ); __rc=$?\n");
                session.append("[ \"$__rc\" = ").append(b.exit().getAsInt()).append(" ] || __fail \"$__rc\" ").append(b.line())
                        .append(" \"exit status $__rc where the text says ").append(b.exit().getAsInt()).append("\"\n");
            } else {
                session.append("set -eE; trap 'echo \"$? $LINENO ").append(b.line()).append("\" > \"$__RUN/error\"' ERR\n");
                session.append("source '").append(script).append("'\n");
                session.append("set +eE; trap - ERR\n");
            }
        }
        if (index == 0) return new Outcome(true, file + ": no block to run");
        Path sessionFile = run.resolve("session.sh");
        Files.writeString(sessionFile, session);
        Path output = run.resolve("output.log");

        ProcessBuilder pb = new ProcessBuilder("bash", sessionFile.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("__RUN", run.toString());
        // serve and quickstart without --listen (as the docs show them) listen on the free ports, not on 8443 and 8080.
        env.put("HALLMARK_LISTEN", "127.0.0.1:" + ports.get(8443));
        env.put("HALLMARK_HTTP_LISTEN", "127.0.0.1:" + ports.get(8080));
        for (String inherited : List.of("HALLMARK_DATA", "HALLMARK_DB", "HALLMARK_PASSPHRASE", "HALLMARK_PASSPHRASE_FILE", "HALLMARK_JAVA_OPTS")) {
            env.remove(inherited); // the reader starts from nothing
        }
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            return new Outcome(false, failure(run, output, "still running after " + timeout.toSeconds() + " s", read(run.resolve("current")).strip()));
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly); // anything a block left behind
        if (p.exitValue() == 0) return new Outcome(true, file + ": " + index + " blocks ran");
        String current = read(run.resolve("current")).strip();
        String error = read(run.resolve("error")).strip();
        String failed = read(run.resolve("failed")).strip();
        String what;
        if (!failed.isEmpty()) {
            String[] f = failed.split(" ", 3);
            what = f.length > 2 ? f[2] : "exit status " + f[0];
            current = f[1];
        } else if (!error.isEmpty()) {
            String[] e = error.split(" ");
            int block = Integer.parseInt(e[2]);
            int line = block + Integer.parseInt(e[1]);
            DocBlock b = blocks.stream().filter(x -> x.line() == block).findFirst().orElseThrow();
            int offset = Integer.parseInt(e[1]) - 1;
            String command = offset >= 0 && offset < b.body().size() ? b.body().get(offset).strip() : "";
            what = "exit status " + e[0] + " at " + file + ":" + line + ": " + command;
        } else {
            what = "the session ended with status " + p.exitValue();
        }
        return new Outcome(false, failure(run, output, what, current));
    }

    private String failure(Path run, Path output, String what, String blockLine) throws IOException {
        StringBuilder r = new StringBuilder(file + ":" + blockLine + ": the block failed: " + what + "\n");
        String all = read(output);
        int at = all.lastIndexOf("### " + file + ":" + blockLine + "\n");
        r.append("--- its output\n").append(tail(at < 0 ? all : all.substring(at), 80));
        try (Stream<Path> logs = Files.list(run)) {
            for (Path log : logs.filter(l -> l.getFileName().toString().startsWith("background-")).sorted().toList()) {
                r.append("--- ").append(log.getFileName()).append(" (a background block's output)\n").append(tail(read(log), 30));
            }
        }
        r.append("--- the session is kept in ").append(work).append('\n');
        return r.toString();
    }

    private static final Pattern PORT = Pattern.compile("(?<![0-9])(" + String.join("|", DOCUMENTED_PORTS.stream().map(String::valueOf).toList()) + ")(?![0-9])");

    private String substitutePorts(String line) {
        return PORT.matcher(line).replaceAll(m -> Integer.toString(ports.get(Integer.parseInt(m.group(1)))));
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
        return (all.size() > lines ? "...\n" : "") + String.join("\n", last) + "\n";
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    // a file made read-only by a block: make its directory writable and try once more
                    p.getParent().toFile().setWritable(true);
                    Files.deleteIfExists(p);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
