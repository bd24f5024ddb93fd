package io.hallmark.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code hallmark export broker --watch} as its own process, as an operator runs it beside a broker: its lines are
 * collected as they come, and it is stopped with SIGTERM like a service manager would.
 */
final class WatchProcess implements AutoCloseable {

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private WatchProcess(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) output.append(line).append('\n');
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    static WatchProcess start(Path data, List<String> exportOptions) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.hallmark.cli.Main", "--data", data.toString(), "export", "broker"));
        command.addAll(exportOptions);
        command.add("--watch");
        try {
            WatchProcess w = new WatchProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
            w.await(l -> l.startsWith("watching "), 30);
            return w;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits until a line matches, failing with what it printed if none does in time; returns the line. */
    String await(Predicate<String> line, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (String l : output.toString().split("\n")) {
                if (line.test(l)) return l;
            }
            if (!process.isAlive() && !output.toString().lines().anyMatch(line)) break;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return fail("the watch printed no such line in " + seconds + " s:\n" + output);
    }

    /** How many lines it printed that match. */
    long count(Predicate<String> line) {
        return output.toString().lines().filter(line).count();
    }

    String output() {
        return output.toString() + (process.isAlive() ? "" : "(exit " + process.exitValue() + ")\n");
    }

    /**
     * SIGTERM; returns whether it ended within {@code seconds} (and then its last lines are in {@link #output}).
     * Through its handle: {@link Process#destroy} would also close the pipe its last lines come through.
     */
    boolean stop(int seconds) throws InterruptedException {
        process.toHandle().destroy();
        boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
        if (ended) reader.join(5000);
        return ended;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive() && !stop(20)) process.destroyForcibly();
    }
}
