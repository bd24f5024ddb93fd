package io.hallmark.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One telemetry event: what happened to a device or a CA, for operators to see and for a device's "last seen".
 * Not evidence (the audit log is): events age out after the retention setting.
 *
 * @param device  the device concerned, or null (a CRL publication, a refused operator)
 * @param subject what else it is about: a serial, a CA, a batch, an endpoint
 * @param result  ok or failed, for authentications; null otherwise
 * @param detail  a reason, a count's meaning; at most {@link #MAX_TEXT} characters
 * @param count   how many occurrences the row stands for (1, or an aggregate such as OCSP answers in a minute)
 */
public record Event(Instant at, EventType type, String device, String subject, String result, String detail, long count) {

    public static final int MAX_TEXT = 1024;
    public static final int MAX_NAME = 255;

    public Event {
        Objects.requireNonNull(at);
        Objects.requireNonNull(type);
        device = clip(device, MAX_NAME);
        subject = clip(subject, MAX_NAME);
        detail = clip(detail, MAX_TEXT);
    }

    public static Event of(Instant at, EventType type, String device, String subject, String detail) {
        return new Event(at, type, device, subject, null, detail, 1);
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
