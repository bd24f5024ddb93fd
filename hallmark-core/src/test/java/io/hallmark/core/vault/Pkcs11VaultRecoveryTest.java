package io.hallmark.core.vault;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A vault whose token fails under it recovers without a restart: a wrong PIN file then a good one, and the token's
 * storage taken away mid-run then put back. The vault lives in {@link Pkcs11Probe}, a process of its own started with
 * the test's SOFTHSM2_CONF (SoftHSM2 reads it when the library is loaded).
 */
class Pkcs11VaultRecoveryTest {

    private static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";

    @TempDir
    Path dir;
    private Process probe;

    @AfterEach
    void stop() {
        if (probe != null) probe.destroyForcibly();
    }

    @Test
    void aWrongPinThenAGoodOneAndATokenGoneThenBackAreSurvivedWithoutARestart() throws Exception {
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Path conf = dir.resolve("softhsm2.conf");
        Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        ProcessBuilder init = new ProcessBuilder(Peers.tool("softhsm2-util").toString(), "--init-token", "--free", "--label", "recovery",
                "--pin", "2468", "--so-pin", "13572468").redirectErrorStream(true);
        init.environment().put("SOFTHSM2_CONF", conf.toString());
        Process p = init.start();
        String initOut = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), initOut);
        Path pin = dir.resolve("pin");
        Files.writeString(pin, "1111\n");

        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Pkcs11Probe.class.getName(), LIBRARY, "recovery", pin.toString()));
        pb.environment().put("SOFTHSM2_CONF", conf.toString());
        pb.redirectError(dir.resolve("probe.err").toFile());
        probe = pb.start();
        PrintWriter in = new PrintWriter(probe.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8));

        String wrongPin = ask(in, out, "generate");
        assertTrue(wrongPin.startsWith("error") && wrongPin.contains("cannot log in to PKCS#11 token 'recovery'"), wrongPin);
        Files.writeString(pin, "2468\n");
        String generated = ask(in, out, "generate");
        assertTrue(generated.startsWith("ok pkcs11:token=recovery;object=probe-"), generated);
        assertEquals("ok signed", ask(in, out, "sign"));

        Path away = dir.resolve("tokens.away");
        Files.move(tokens, away);
        String gone = ask(in, out, "sign");
        assertTrue(gone.startsWith("error") && gone.contains("PKCS#11 token 'recovery'"), gone);
        Files.move(away, tokens);
        assertEquals("ok signed", ask(in, out, "sign"), "the token is back: the same process signs again");
        assertEquals("ok signed", ask(in, out, "sign"));
    }

    private String ask(PrintWriter in, BufferedReader out, String command) throws IOException {
        in.println(command);
        String line = out.readLine();
        return line == null ? "(probe ended) " + Files.readString(dir.resolve("probe.err")) : line;
    }
}
