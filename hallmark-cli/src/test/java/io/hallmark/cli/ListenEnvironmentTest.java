package io.hallmark.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HALLMARK_LISTEN and HALLMARK_HTTP_LISTEN are the defaults of serve's and quickstart's --listen and --http-listen
 * (a service's environment file, the docs runner's free ports). Child JVMs: the environment cannot be set in-process.
 */
class ListenEnvironmentTest {

    @TempDir
    Path dir;

    private Process hallmark(String listen, String httpListen, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--data", dir.resolve("data").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HALLMARK_LISTEN", listen);
        pb.environment().put("HALLMARK_HTTP_LISTEN", httpListen);
        return pb.start();
    }

    @Test
    void serveListensWhereTheEnvironmentSaysWithoutOptions() throws Exception {
        Process setUp = hallmark("127.0.0.1:0", "127.0.0.1:18188", "quickstart", "--no-serve", "--devices", "0");
        String setUpOutput = new String(setUp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, setUp.waitFor(), setUpOutput);
        // quickstart published at the HTTP address it was given
        Cli.Run publication = Cli.run(dir.resolve("data"), "publication");
        assertTrue(publication.out().contains("http://127.0.0.1:18188"), publication::toString);

        Process serve = hallmark("127.0.0.1:0", "127.0.0.1:0", "serve");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            for (String line = out.readLine(); line != null && seen.size() < 40; line = out.readLine()) {
                seen.add(line);
                if (line.startsWith("listening on http://")) break;
            }
            String https = seen.stream().filter(l -> l.startsWith("listening on https://127.0.0.1:")).findFirst().orElse("");
            String http = seen.stream().filter(l -> l.startsWith("listening on http://127.0.0.1:")).findFirst().orElse("");
            assertTrue(!https.isEmpty() && !https.contains(":8443"), String.join("\n", seen));
            assertTrue(!http.isEmpty() && !http.contains(":8080"), String.join("\n", seen));
        } finally {
            serve.destroy();
            if (!serve.waitFor(20, TimeUnit.SECONDS)) serve.destroyForcibly();
        }
    }
}
