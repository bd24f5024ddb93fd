package io.hallmark.cli.broker;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.text.SafeText;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the broker learns that its files changed. Mosquitto and nginx both reload on SIGHUP (mosquitto re-reads
 * crlfile then; nginx's master re-reads its configuration, ssl_crl included), so a pid file is enough for either;
 * a command covers the rest ({@code systemctl reload mosquitto}, {@code nginx -s reload}, a container's exec).
 */
public sealed interface Reload permits Reload.None, Reload.Signal, Reload.Command {

    /** How long a reload command may take. */
    long TIMEOUT_SECONDS = 30;

    /** Performs the reload; returns what was done, for the progress line. */
    String reload();

    /** Nothing to tell: the broker reads the files at its next start, or fetches CRLs itself (EMQX). */
    record None() implements Reload {
        @Override
        public String reload() {
            return "no reload asked for (--reload-pid or --reload-command)";
        }
    }

    /** SIGHUP to the process whose id is in {@code pidFile} (mosquitto's pid_file, nginx's pid). */
    record Signal(Path pidFile) implements Reload {
        @Override
        public String reload() {
            long pid = pid();
            Result r = run(List.of("kill", "-HUP", Long.toString(pid)));
            if (r.exit() != 0) {
                throw HallmarkException.unavailable("cannot signal process " + pid + " from " + pidFile + ": " + r.output(), null);
            }
            return "SIGHUP to pid " + pid;
        }

        private long pid() {
            try {
                if (!Files.isRegularFile(pidFile)) throw HallmarkException.notFound("no pid file " + pidFile + " (is the broker running?)");
                if (Files.size(pidFile) > 32) throw HallmarkException.badInput(pidFile + " is no pid file: over 32 bytes");
                String text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
                if (!text.matches("[1-9][0-9]{0,9}")) throw HallmarkException.badInput(pidFile + " holds no process id");
                return Long.parseLong(text);
            } catch (IOException e) {
                throw HallmarkException.unavailable("cannot read " + pidFile + ": " + e.getMessage(), null);
            }
        }
    }

    /** A shell command ({@code sh -c}), bounded in time; a non-zero exit is a failed reload. */
    record Command(String command) implements Reload {
        @Override
        public String reload() {
            Result r = run(List.of("sh", "-c", command));
            if (r.exit() != 0) {
                throw HallmarkException.unavailable("reload command exited " + r.exit() + ": " + r.output(), null);
            }
            return "ran '" + command + "'";
        }
    }

    record Result(int exit, String output) {
    }

    /**
     * Runs a command, bounded in time; its output goes to a file rather than a pipe, so a command that leaves a
     * daemon holding its output open cannot hang the reload. The first 2 KiB of it are kept for the message.
     */
    private static Result run(List<String> command) {
        Path log = null;
        try {
            log = Files.createTempFile("hallmark-reload", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + TIMEOUT_SECONDS + " s");
            }
            byte[] out;
            try (var in = Files.newInputStream(log)) {
                out = in.readNBytes(2048);
            }
            return new Result(p.exitValue(), SafeText.escape(new String(out, StandardCharsets.UTF_8).strip()));
        } catch (IOException e) {
            throw HallmarkException.unavailable("cannot run " + command.getFirst() + ": " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HallmarkException.unavailable("interrupted while reloading", null);
        } finally {
            if (log != null) log.toFile().delete();
        }
    }
}
