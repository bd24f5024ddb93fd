package io.hallmark.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code hallmark serve --node-id NAME} in a JVM of its own (so that SIGKILL kills exactly it), on free loopback ports. */
final class NodeProcess implements AutoCloseable {

    private static final Pattern HTTPS = Pattern.compile("listening on (https://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern HTTP = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    final Process process;
    final String https;
    final String http;
    private final StringBuffer output;

    private NodeProcess(Process process, String https, String http, StringBuffer output) {
        this.process = process;
        this.https = https;
        this.http = http;
        this.output = output;
    }

    static NodeProcess start(Path data, String db, String nodeId) throws Exception {
        return start(data, db, nodeId, List.of());
    }

    /**
     * @param db      a JDBC URL, or null for SQLite in {@code data}
     * @param wrapper a command the JVM's command line is appended to, which must exec it (so that the process is the
     *                JVM itself), e.g. a shell that sets a resource limit first; empty for none
     */
    static NodeProcess start(Path data, String db, String nodeId, List<String> wrapper) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.hallmark.cli.Main", "--data", data.toString()));
        if (db != null) command.addAll(List.of("--db", db));
        command.addAll(List.of("serve", "--node-id", nodeId,
                "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", "--checkpoint-every", "0",
                // The load comes from one station and a few devices, far above a client's default allowance: the test
                // is about a node dying, not about rate limits (RateLimitTest has those).
                "--rate-limit", "est=off", "--rate-limit", "api=off", "--rate-limit", "factory=off"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuffer seen = new StringBuffer();
        CompletableFuture<String[]> listening = CompletableFuture.supplyAsync(() -> {
            String https = null;
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    seen.append(line).append('\n');
                    Matcher t = HTTPS.matcher(line);
                    if (t.find()) https = t.group(1);
                    Matcher m = HTTP.matcher(line);
                    if (m.find()) {
                        String[] found = {https, m.group(1)};
                        Thread.ofPlatform().daemon().start(() -> drain(out, seen)); // keep the pipe from filling
                        return found;
                    }
                }
            } catch (java.io.IOException e) {
                // ended
            }
            throw new IllegalStateException("node " + nodeId + " ended before listening:\n" + seen);
        });
        try {
            String[] urls = listening.get(180, TimeUnit.SECONDS);
            return new NodeProcess(p, urls[0], urls[1], seen);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("node " + nodeId + " did not start: " + e.getMessage() + "\n" + seen, e);
        }
    }

    private static void drain(BufferedReader out, StringBuffer seen) {
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (seen.length() < 200_000) seen.append(line).append('\n');
            }
        } catch (java.io.IOException ignored) {
            // killed
        }
    }

    /** SIGKILL to the node's JVM itself (no wrapper script between): no shutdown hook, no draining, as a crash. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("node did not die");
        return process.exitValue();
    }

    String output() {
        return output.toString();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
