package io.hallmark.core.matter.tlv;

import io.hallmark.core.error.HallmarkException;

import java.time.Instant;

/** Matter certificate times: unsigned 32-bit seconds since 2000-01-01T00:00:00Z, 0 meaning 9999-12-31T23:59:59Z. */
public final class MatterTime {

    public static final long NO_EXPIRY = 0;
    public static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");
    /** RFC 5280's "no well-defined expiration date", the X.509 form of {@link #NO_EXPIRY}. */
    public static final Instant X509_NO_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    private MatterTime() {
    }

    public static Instant toInstant(long matterSeconds) {
        return matterSeconds == NO_EXPIRY ? X509_NO_EXPIRY : EPOCH.plusSeconds(matterSeconds);
    }

    public static long fromInstant(Instant t, String field) {
        if (t.equals(X509_NO_EXPIRY)) return NO_EXPIRY;
        long seconds = t.getEpochSecond() - EPOCH.getEpochSecond();
        if (t.getNano() != 0) throw HallmarkException.badInput(field + " has fractions of a second, which the TLV form cannot carry");
        // 0 is taken by "no expiry", so the epoch itself cannot be carried either (the SDK would turn it into 9999).
        if (seconds <= 0) throw HallmarkException.badInput(field + " " + t + " is not after 2000-01-01T00:00:00Z, the earliest time the TLV form carries");
        if (seconds > 0xFFFFFFFFL) throw HallmarkException.badInput(field + " " + t + " is past the last time the TLV form carries (2136-02-07T06:28:15Z)");
        return seconds;
    }
}
