package io.hallmark.core.factory.wire;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The line framing of {@link Ndjson}: lines end with LF (a CR before it is dropped), the last one may end
 * with the input. A line is bounded while it is read: past {@code max} bytes the rest of it is skipped,
 * never buffered, so one endless line costs one read buffer, not the heap (BufferedReader.readLine would
 * hold all of it before anyone could look at its length). Memory: a 64 KiB read buffer and one line buffer
 * of at most {@code max} bytes.
 */
final class LineInput {

    private final InputStream in;
    private final int max;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[4096];
    private long lines;
    private boolean ended;

    LineInput(InputStream in, int max) {
        this.in = in;
        this.max = max;
    }

    /** The current line's bytes, valid up to the length {@link #next()} returned. */
    byte[] line() {
        return line;
    }

    /** Lines started so far: the number of the current one, from 1. */
    long count() {
        return lines;
    }

    /** Bytes that can be had without blocking. */
    int available() throws IOException {
        return limit - pos + (ended ? 0 : in.available());
    }

    /**
     * Reads the next line into {@link #line()}.
     *
     * @return its length without the line end; -1 at the end of the input
     * @throws TooLong for a line longer than {@code max} bytes, after skipping to its end (the next call reads the one after it)
     */
    int next() throws IOException, TooLong {
        if (ended && pos == limit) return -1;
        int length = 0;
        long total = 0;
        boolean started = false;
        while (true) {
            if (pos == limit && !fill()) {
                if (!started) return -1;
                break; // the last line, without a line end
            }
            started = true;
            int end = pos;
            while (end < limit && buffer[end] != '\n') end++;
            int n = end - pos;
            total += n;
            if (total <= max + 1L) { // one more than max: room for a CR before the LF
                if (line.length < length + n) {
                    line = Arrays.copyOf(line, Math.min(max + 1, Math.max(length + n, line.length * 2)));
                }
                System.arraycopy(buffer, pos, line, length, n);
                length += n;
            }
            pos = end;
            if (end < limit) {
                pos++; // the LF
                break;
            }
        }
        lines++;
        if (total <= max + 1L && length > 0 && line[length - 1] == '\r') {
            length--;
            total--;
        }
        if (total > max) {
            throw new TooLong("line " + lines + " is " + total + " bytes, longer than the " + max + " accepted");
        }
        return length;
    }

    private boolean fill() throws IOException {
        if (ended) return false;
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            ended = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    void close() throws IOException {
        in.close();
    }

    /** A line longer than accepted; it has been skipped. */
    static final class TooLong extends Exception {
        TooLong(String message) {
            super(message, null, false, false);
        }
    }
}
