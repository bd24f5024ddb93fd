package io.hallmark.cli;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The README's main command as a user runs it: a process that sets up, serves, answers curl, and stops on SIGTERM. */
class QuickstartServesTest {

    @TempDir
    Path dir;

    @Test
    void quickstartServesEstAndStopsGracefully() throws Exception {
        Peers.tool("curl");
        Path data = dir.resolve("data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.hallmark.cli.Main", "--data", data.toString(), "quickstart", "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0")
                .redirectErrorStream(true).start();
        try {
            String https = null;
            StringBuilder seen = new StringBuilder();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern listening = Pattern.compile("listening on (https://127\\.0\\.0\\.1:\\d+)");
            Pattern plain = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+) ");
            String http = null;
            for (String line; (https == null || http == null) && (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = listening.matcher(line);
                if (m.find()) https = m.group(1);
                Matcher h = plain.matcher(line);
                if (h.find()) http = h.group(1);
            }
            assertNotNull(https, "never said it was listening:\n" + seen);
            assertNotNull(http, "never said where OCSP and CRLs are:\n" + seen);
            // Asked for port 0, the certificates' CRL and OCSP URLs still name the port the server answers on.
            assertTrue(seen.toString().contains("  base URL:     " + http + "\n"), "base URL is the HTTP listener " + http + ":\n" + seen);
            Peers.Result health = Peers.run(dir, "curl", "-sS", "--cacert", data.resolve("ca/root.pem").toString(), https + "/healthz");
            assertEquals("ok", health.out().strip(), health::all);
            Peers.Result cacerts = Peers.run(dir, "curl", "-sS", "-o", "cacerts.b64", "-w", "%{http_code}",
                    "--cacert", data.resolve("ca/root.pem").toString(), https + "/.well-known/est/cacerts");
            assertEquals("200", cacerts.out(), cacerts::all);
            assertFalse(Files.readString(dir.resolve("cacerts.b64")).isBlank());

            p.destroy(); // SIGTERM: the shutdown hook stops the server and closes the store
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stops within the graceful period");
            assertEquals(143, p.exitValue(), "terminated by SIGTERM after a clean shutdown");
            // What serve wrote (who asked for what, when) is its owner's only, as the rest of the data directory.
            assertTrue(Files.size(data.resolve("logs/access.log")) > 0, "the requests were logged");
            assertEquals("rw-------", mode(data.resolve("logs/access.log")));
            assertEquals("rwx------", mode(data.resolve("logs")));
            assertEquals("rwx------", mode(data));
        } finally {
            p.destroyForcibly();
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
