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
 * developer's machine and fails in CI: delegates to the shared test kit, io.hallmark.testing.Peers.
 */
final class Tools {

    private Tools() {
    }

    static Path tool(String name) {
        return io.hallmark.testing.Peers.tool(name);
    }

    static String postgresUrl() {
        return io.hallmark.testing.Peers.postgresUrl();
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
