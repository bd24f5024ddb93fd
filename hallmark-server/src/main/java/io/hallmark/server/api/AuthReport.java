package io.hallmark.server.api;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.Event;
import io.hallmark.core.store.EventType;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A device's authentication as a backend saw it (POST /api/v1/events/auth): a broker plugin or a cloud rule
 * reports where devices actually connect, which moves the device's last seen.
 *
 * @param device   the device id (its certificate's serialNumber attribute)
 * @param endpoint where it connected, e.g. mqtts://broker-1:8883
 * @param result   ok or failed
 * @param time     when, ISO-8601; not more than a day from now, since a skewed backend would move last seen anywhere
 * @param reason   why it failed, optional
 */
record AuthReport(String device, String endpoint, String result, String time, String reason) {

    static final Duration MAX_SKEW = Duration.ofDays(1);

    Event toEvent(Instant now) {
        require("device", device, Event.MAX_NAME);
        require("endpoint", endpoint, Event.MAX_NAME);
        if (!"ok".equals(result) && !"failed".equals(result)) {
            throw HallmarkException.badInput("'result' must be \"ok\" or \"failed\"");
        }
        if (reason != null && reason.length() > Event.MAX_TEXT) {
            throw HallmarkException.badInput("'reason' is longer than " + Event.MAX_TEXT + " characters");
        }
        if (time == null) throw HallmarkException.badInput("'time' is required (ISO-8601, e.g. 2026-11-01T12:00:00Z)");
        Instant at;
        try {
            at = Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw HallmarkException.badInput("'time' must be ISO-8601, e.g. 2026-11-01T12:00:00Z");
        }
        if (Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
            throw HallmarkException.badInput("'time' " + time + " is more than a day from the server's clock");
        }
        return new Event(at, EventType.AUTH_REPORTED, device, endpoint, result, reason, 1);
    }

    private static void require(String name, String value, int max) {
        if (value == null || value.isBlank()) throw HallmarkException.badInput("'" + name + "' is required");
        if (value.length() > max) throw HallmarkException.badInput("'" + name + "' is longer than " + max + " characters");
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) throw HallmarkException.badInput("'" + name + "' holds a control character");
        }
    }
}
