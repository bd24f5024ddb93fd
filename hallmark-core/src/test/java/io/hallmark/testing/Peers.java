package io.hallmark.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real peers for interoperability tests: openssl, certtool, PostgreSQL. On a developer's machine a
 * missing peer aborts the test visibly (reported as skipped, with the reason); in CI (CI=true or
 * -Dhallmark.peers.required=true) it fails the run, so nothing is skipped silently there.
 */
public final class Peers {

    private Peers() {
    }

    public static boolean required() {
        return Boolean.getBoolean("hallmark.peers.required") || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The path of a command-line tool, or abort/fail as described above. */
    public static Path tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        missing(name + " is not installed (apt-get install " + packageOf(name) + ")");
        return null;
    }

    /** A file a peer package installs (a PKCS#11 library, say), or abort/fail as described above. */
    public static Path file(Path path, String debianPackage) {
        if (!Files.exists(path)) {
            missing(path + " does not exist (apt-get install " + debianPackage + ")");
        }
        return path;
    }

    /** JDBC URL of a PostgreSQL to test against, from -Dhallmark.test.postgres or HALLMARK_TEST_POSTGRES. */
    public static String postgresUrl() {
        String url = System.getProperty("hallmark.test.postgres");
        if (url == null || url.isBlank()) {
            url = System.getenv("HALLMARK_TEST_POSTGRES");
        }
        if (url == null || url.isBlank()) {
            missing("no PostgreSQL configured: set HALLMARK_TEST_POSTGRES=jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        }
        return url;
    }

    private static void missing(String why) {
        if (required()) {
            Assertions.fail("required test peer missing: " + why);
        }
        Assumptions.abort("test peer missing, test not run: " + why);
    }

    private static String packageOf(String tool) {
        return switch (tool) {
            case "certtool", "gnutls-cli" -> "gnutls-bin";
            case "pkcs11-tool" -> "opensc";
            case "softhsm2-util" -> "softhsm2";
            case "ab" -> "apache2-utils";
            case "cfssl" -> "golang-cfssl";
            case "mosquitto", "mosquitto_sub", "mosquitto_pub" -> "mosquitto mosquitto-clients";
            case "systemd-analyze" -> "systemd";
            case "swtpm" -> "swtpm swtpm-tools";
            case "tpm2-abrmd" -> "tpm2-abrmd libtss2-tcti-tabrmd0";
            case "dbus-daemon" -> "dbus";
            case "dpkg-deb", "dpkg-query" -> "dpkg";
            case "promtool" -> "prometheus";
            default -> tool;
        };
    }

    /** Output of a finished process. */
    public record Result(int exit, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    /** Runs a command in {@code dir} and waits (at most a minute). */
    public static Result run(Path dir, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
            p.getOutputStream().close();
            var out = p.getInputStream().readAllBytes();
            var err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Assertions.fail("timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Result run(Path dir, String... command) {
        return run(dir, List.of(command));
    }
}
