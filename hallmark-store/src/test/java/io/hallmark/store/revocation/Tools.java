package io.hallmark.store.revocation;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real peers for the revocation tests (openssl, PostgreSQL). Missing peer: the test aborts visibly on a
 * developer's machine and fails when -Dhallmark.peers.required=true (CI). Same rules as the project's
 * shared test kit, kept local to this module so the revocation branch merges without touching it.
 */
final class Tools {

    private Tools() {
    }

    static boolean required() {
        return Boolean.getBoolean("hallmark.peers.required") || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static Path tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        missing(name + " is not installed");
        return null;
    }

    static String postgresUrl() {
        String url = System.getProperty("hallmark.test.postgres");
        if (url == null || url.isBlank()) url = System.getenv("HALLMARK_TEST_POSTGRES");
        if (url == null || url.isBlank()) {
            missing("no PostgreSQL configured: set HALLMARK_TEST_POSTGRES=jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        }
        return url;
    }

    private static void missing(String why) {
        if (required()) Assertions.fail("required test peer missing: " + why);
        Assumptions.abort("test peer missing, test not run: " + why);
    }

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Result run(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).start();
            p.getOutputStream().close();
            var out = p.getInputStream().readAllBytes();
            var err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Assertions.fail("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result openssl(Path dir, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = tool("openssl").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return run(dir, command);
    }
}
