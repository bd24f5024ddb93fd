package io.hallmark.core.factory;

/** Counts so far; {@code done = issued + existing + failed}. */
public record BatchProgress(long done, long issued, long existing, long failed, long elapsedMillis) {

    public double perSecond() {
        return elapsedMillis == 0 ? 0 : done * 1000.0 / elapsedMillis;
    }
}
