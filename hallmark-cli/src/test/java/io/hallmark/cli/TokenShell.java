package io.hallmark.cli;

import io.hallmark.testing.Peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Processes run for a test that drives PKCS#11 tokens (SoftHSM2's, a software TPM's): hallmark, pkcs11-tool and the
 * token tools, each with the environment that tells the token library where its tokens are, in the test's directory.
 */
class TokenShell {

    final Path dir;
    private final java.util.Map<String, String> environment = new java.util.HashMap<>();

    TokenShell(Path dir) {
        this.dir = dir;
    }

    /** Adds a variable to the environment of every process run from here (HALLMARK_PASSPHRASE, say). */
    <T extends TokenShell> T with(String name, String value) {
        environment.put(name, value);
        @SuppressWarnings("unchecked") T self = (T) this;
        return self;
    }

    /** The variables added to every process's environment. */
    java.util.Map<String, String> environment() {
        return java.util.Map.copyOf(environment);
    }

    /** pkcs11-tool's listing of a token's objects, logged in. */
    String objects(String library, String label, String pin) {
        Result objects = exec(List.of(Peers.tool("pkcs11-tool").toString(), "--module", library, "--token-label", label, "-O", "--login", "--pin", pin));
        assertEquals(0, objects.exit(), objects::toString);
        return objects.out();
    }

    /**
     * The object of {@code type} ({@code cert} or {@code pubkey}) with CKA_ID {@code idHex} on the token, read with
     * pkcs11-tool and turned into PEM by openssl.
     */
    Path readObject(String library, String label, String type, String idHex) {
        Path der = dir.resolve(label + "." + type + ".der");
        Result read = exec(List.of(Peers.tool("pkcs11-tool").toString(), "--module", library, "--token-label", label,
                "--read-object", "--type", type, "--id", idHex, "-o", der.toString()));
        assertEquals(0, read.exit(), read::toString);
        Path pem = dir.resolve(label + "." + type + ".pem");
        Result converted = exec(type.equals("cert")
                ? List.of(Peers.tool("openssl").toString(), "x509", "-inform", "DER", "-in", der.toString(), "-out", pem.toString())
                : List.of(Peers.tool("openssl").toString(), "pkey", "-pubin", "-inform", "DER", "-in", der.toString(), "-out", pem.toString()));
        assertEquals(0, converted.exit(), converted::toString);
        return pem;
    }

    /** {@code openssl verify -x509_strict} of {@code pem} against the installation's root, with {@code issuer}'s certificate. */
    void assertVerifies(Path pem, Path data, String issuer) {
        Result verify = exec(List.of(Peers.tool("openssl").toString(), "verify", "-x509_strict", "-CAfile", data.resolve("ca/root.pem").toString(),
                "-untrusted", data.resolve("ca/" + issuer + ".pem").toString(), pem.toString()));
        assertEquals(0, verify.exit(), verify::toString);
        org.junit.jupiter.api.Assertions.assertTrue(verify.out().contains(": OK"), verify::toString);
    }

    /**
     * {@code keytool -list -v} of the token through the JDK's SunPKCS11 key store in a process of its own, as a device's
     * Java software would open it after a restart; the token's slot is looked up by label with pkcs11-tool.
     */
    String keytool(String library, String label, String pin) throws IOException {
        Path config = dir.resolve(label + ".sunpkcs11.cfg");
        java.nio.file.Files.writeString(config, "name = " + label.replaceAll("[^A-Za-z0-9]", "") + "\nlibrary = " + library
                + "\nslot = " + slotOf(library, label) + "\n");
        Result keytool = exec(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-list", "-v", "-storetype", "PKCS11",
                "-providerClass", "sun.security.pkcs11.SunPKCS11", "-providerArg", config.toString(), "-storepass", pin));
        assertEquals(0, keytool.exit(), keytool::toString);
        return keytool.out();
    }

    /** The slot id of the token labelled {@code label}, as pkcs11-tool lists it ("Slot 0 (0x3abff72): ..."). */
    long slotOf(String library, String label) {
        Result slots = exec(List.of(Peers.tool("pkcs11-tool").toString(), "--module", library, "-L"));
        Long id = null;
        for (String line : slots.out().split("\n")) {
            java.util.regex.Matcher slot = java.util.regex.Pattern.compile("^Slot \\d+ \\(0x([0-9a-f]+)\\)").matcher(line);
            if (slot.find()) id = Long.parseLong(slot.group(1), 16);
            if (line.matches("\\s*token label\\s*:\\s*" + java.util.regex.Pattern.quote(label) + "\\s*") && id != null) return id;
        }
        throw new AssertionError("no token " + label + " in " + slots);
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
