package io.hallmark.cli;

import io.hallmark.testing.Peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SoftHSM2 tokens of one test, in its temporary directory (SOFTHSM2_CONF names them), and the processes that use
 * them. SoftHSM2 reads SOFTHSM2_CONF when the library is loaded, so every hallmark command runs as its own process
 * with it in the environment, as an operator's shell would; each process is also a restart that must find the
 * keys on the token again. Needs softhsm2-util and pkcs11-tool (skipped without them, failed in CI).
 */
final class SoftHsmTokens {

    static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    static final String SO_PIN = "87654321";

    final Path dir;
    final Path conf;
    private final java.util.Map<String, String> environment = new java.util.HashMap<>();

    SoftHsmTokens(Path dir) throws IOException {
        Peers.tool("softhsm2-util");
        Peers.tool("pkcs11-tool");
        this.dir = dir;
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        conf = dir.resolve("softhsm2.conf");
        Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        environment.put("SOFTHSM2_CONF", conf.toString());
    }

    /** Adds a variable to the environment of every process run from here (HALLMARK_PASSPHRASE, say). */
    SoftHsmTokens with(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** A fresh token in the first free slot. */
    void init(String label, String pin) {
        Result init = exec(List.of(Peers.tool("softhsm2-util").toString(), "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", SO_PIN));
        assertEquals(0, init.exit(), init::toString);
    }

    /** pkcs11-tool's listing of the token's objects, logged in. */
    String objects(String label, String pin) {
        Result objects = exec(List.of(Peers.tool("pkcs11-tool").toString(), "--module", LIBRARY, "--token-label", label, "-O", "--login", "--pin", pin));
        assertEquals(0, objects.exit(), objects::toString);
        return objects.out();
    }

    /** The blocks of pkcs11-tool's listing that start with {@code header}. */
    static List<String> blocks(String listing, String header) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : listing.split("\n")) {
            if (!line.startsWith(" ") && !line.startsWith("\t")) {
                if (current != null) out.add(current.toString());
                current = line.startsWith(header) ? new StringBuilder(line).append('\n') : null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) out.add(current.toString());
        return out;
    }

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** {@code hallmark --data DATA ARGS...} in a process of its own. */
    Result hallmark(Path data, String... args) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.hallmark.cli.Main", "--data", data.toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    Result exec(List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            pb.environment().putAll(environment);
            pb.environment().remove("HALLMARK_DATA");
            pb.environment().remove("HALLMARK_DB");
            Process p = pb.start();
            p.getOutputStream().close();
            var err = new java.util.concurrent.CompletableFuture<byte[]>();
            Thread.ofVirtual().start(() -> {
                try {
                    err.complete(p.getErrorStream().readAllBytes());
                } catch (IOException e) {
                    err.completeExceptionally(e);
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.get(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
