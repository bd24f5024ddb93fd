package io.hallmark.cli.factory;

import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.wire.Ndjson;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Progress on stderr: a bar redrawn in place on a terminal (rate, ETA), a plain line every few seconds
 * otherwise, or with {@code --json} one JSON object per line for machines. Picocli has none, and this is
 * small enough not to need a library.
 */
public final class Progress {

    private static final int WIDTH = 30;

    private final PrintStream err;
    private final long total;
    private final boolean json;
    private final boolean terminal;
    private final long intervalMillis;
    private long lastPrinted = -1;

    /** @param total items expected, or -1 if unknown */
    public Progress(PrintStream err, long total, boolean json) {
        this.err = err;
        this.total = total;
        this.json = json;
        this.terminal = !json && isTerminal();
        this.intervalMillis = json ? 1000 : terminal ? 200 : 5000;
    }

    public void update(BatchProgress p, boolean last) {
        if (!last && lastPrinted >= 0 && p.elapsedMillis() - lastPrinted < intervalMillis) {
            return;
        }
        lastPrinted = p.elapsedMillis();
        double rate = p.perSecond();
        long eta = total > 0 && rate > 0 ? Math.round((total - p.done()) / rate) : -1;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("done", p.done());
            m.put("total", total < 0 ? null : total);
            m.put("issued", p.issued());
            m.put("existing", p.existing());
            m.put("failed", p.failed());
            m.put("perSecond", Math.round(rate));
            m.put("etaSeconds", eta < 0 ? null : eta);
            m.put("elapsedSeconds", p.elapsedMillis() / 1000.0);
            m.put("final", last);
            err.print(new String(Ndjson.line(m), java.nio.charset.StandardCharsets.UTF_8));
            err.flush();
            return;
        }
        StringBuilder line = new StringBuilder();
        if (total > 0) {
            int filled = (int) (WIDTH * Math.min(1.0, p.done() / (double) total));
            line.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(String.format("%3d%% ", p.done() * 100 / total)).append(p.done()).append('/').append(total);
        } else {
            line.append(p.done());
        }
        line.append(String.format("  %,d/s", Math.round(rate)));
        if (eta >= 0 && !last) line.append("  ETA ").append(clock(eta));
        if (last) line.append("  in ").append(clock(p.elapsedMillis() / 1000));
        line.append(String.format("  (issued %d, existing %d, errors %d)", p.issued(), p.existing(), p.failed()));
        if (terminal) {
            err.print("\r" + line + (last ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }

    /**
     * From JDK 22 on, System.console() exists even when output is redirected; Console.isTerminal() (22+)
     * tells the truth. Called reflectively because the code is compiled for release 21.
     */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a non-null console is a terminal
        }
    }

    private static String clock(long seconds) {
        return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
