package io.hallmark.dist;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs a command in a directory with exactly the environment given, as a new login would have it: nothing inherited. */
record Run(Path dir, Map<String, String> env) {

    /** PATH and HOME of an ordinary shell, far from any source tree. */
    static Run in(Path dir) {
        return new Run(dir, Map.of("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOME", dir.toString(), "LANG", "C.UTF-8"));
    }

    Run with(String name, String value) {
        var e = new java.util.HashMap<>(env);
        e.put(name, value);
        return new Run(dir, Map.copyOf(e));
    }

    ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb;
    }

    Result run(String... command) {
        return run(List.of(command));
    }

    /** Waits at most two minutes; stdout and stderr are read at once, so neither can fill and block the other. */
    Result run(List<String> command) {
        try {
            Process p = builder(command).redirectInput(new File("/dev/null")).start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + command);
            }
            return new Result(command, p.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Result(List<String> command, int exit, String out, String err) {
        Result ok() {
            if (exit != 0) fail(this.toString());
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
