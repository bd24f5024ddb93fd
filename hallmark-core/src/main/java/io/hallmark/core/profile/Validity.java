package io.hallmark.core.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.hallmark.core.error.HallmarkException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a certificate lives: a duration ({@code 30d}, {@code 1y}, {@code 12h}) or {@code forever},
 * which RFC 5280 §4.1.2.5 spells 99991231235959Z: "no well-defined expiration date", as IEEE 802.1AR
 * asks for IDevIDs.
 */
public record Validity(Duration duration) {

    /** 9999-12-31T23:59:59Z, encoded as GeneralizedTime. */
    public static final Instant NO_WELL_DEFINED_EXPIRATION = ZonedDateTime.of(9999, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC).toInstant();
    public static final Validity FOREVER = new Validity(null);
    private static final Pattern FORM = Pattern.compile("(\\d{1,6})\\s*([smhdy])");

    public boolean forever() {
        return duration == null;
    }

    public Instant notAfter(Instant notBefore) {
        return forever() ? NO_WELL_DEFINED_EXPIRATION : notBefore.plus(duration);
    }

    @JsonCreator
    public static Validity parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("forever")) {
            return FOREVER;
        }
        return new Validity(parseDuration(t));
    }

    /** {@code 90s}, {@code 15m}, {@code 12h}, {@code 30d}, {@code 1y} (365 days). */
    public static Duration parseDuration(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw HallmarkException.badInput("not a duration: '" + text + "' (use e.g. 12h, 30d, 1y)");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(365 * n);
        };
        if (d.isZero()) {
            throw HallmarkException.badInput("a validity of zero is not a validity: '" + text + "'");
        }
        return d;
    }

    @JsonValue
    @Override
    public String toString() {
        if (forever()) {
            return "forever";
        }
        long s = duration.toSeconds();
        if (s % (365L * 86400) == 0) return s / (365L * 86400) + "y";
        if (s % 86400 == 0) return s / 86400 + "d";
        if (s % 3600 == 0) return s / 3600 + "h";
        return s + "s";
    }
}
