package io.hallmark.cli;

import io.hallmark.store.transfer.StoreCopy;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Progress of a store copy on stderr: a line at most every two seconds while a table is copied, and one when a
 * table that took that long is done; with {@code --json} the same as one JSON object per line. A small
 * installation copies in less than that and prints nothing but the report.
 */
final class CopyProgress implements StoreCopy.Listener {

    private static final long INTERVAL_NANOS = 2_000_000_000L;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final PrintStream err;
    private final boolean json;
    private final long started = System.nanoTime();
    private String table;
    private long tableStarted;
    private long lastPrinted;

    CopyProgress(PrintStream err, boolean json) {
        this.err = err;
        this.json = json;
    }

    @Override
    public void progress(String name, long done, long total) {
        long now = System.nanoTime();
        if (!name.equals(table)) {
            table = name;
            tableStarted = now;
            lastPrinted = now;
        }
        boolean finished = done >= total;
        boolean due = now - lastPrinted >= INTERVAL_NANOS;
        if (!due && !(finished && now - tableStarted >= INTERVAL_NANOS)) {
            return;
        }
        lastPrinted = now;
        double elapsed = (now - started) / 1e9;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", name);
            m.put("done", done);
            m.put("total", total);
            m.put("elapsedSeconds", Math.round(elapsed * 10) / 10.0);
            m.put("final", finished);
            try {
                err.println(JSON.writeValueAsString(m));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            err.printf("copying %s: %,d of %,d rows (%d%%), %.0f s%n", name, done, total, total == 0 ? 100 : done * 100 / total, elapsed);
        }
        err.flush();
    }
}
