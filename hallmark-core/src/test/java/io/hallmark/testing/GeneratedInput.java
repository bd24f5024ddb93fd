package io.hallmark.testing;

import java.io.InputStream;
import java.util.Arrays;

/**
 * A prefix, then {@code length} copies of one byte, then a suffix, generated as it is read: an input of
 * gigabytes that costs no memory, for proving a reader bounds what it holds. {@link #skip} passes over the
 * middle for free and {@link #filledRead()} counts the middle bytes actually read, so a test can tell
 * "skipped" from "read and dropped".
 */
public final class GeneratedInput extends InputStream {

    private final byte[] prefix;
    private final byte fill;
    private final byte[] suffix;
    private final long middleEnd;
    private final long end;
    private long pos;
    private long filledRead;

    public GeneratedInput(byte[] prefix, long length, byte fill, byte[] suffix) {
        this.prefix = prefix.clone();
        this.fill = fill;
        this.suffix = suffix.clone();
        this.middleEnd = prefix.length + length;
        this.end = middleEnd + suffix.length;
    }

    /** How many of the generated middle bytes were read (not skipped). */
    public long filledRead() {
        return filledRead;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (pos >= end) return -1;
        if (len == 0) return 0;
        int n;
        if (pos < prefix.length) {
            n = (int) Math.min(len, prefix.length - pos);
            System.arraycopy(prefix, (int) pos, b, off, n);
        } else if (pos < middleEnd) {
            n = (int) Math.min(len, middleEnd - pos);
            Arrays.fill(b, off, off + n, fill);
            filledRead += n;
        } else {
            n = (int) Math.min(len, end - pos);
            System.arraycopy(suffix, (int) (pos - middleEnd), b, off, n);
        }
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long k = Math.max(0, Math.min(n, end - pos));
        pos += k;
        return k;
    }
}
