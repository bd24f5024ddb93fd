package io.hallmark.server.http;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Validity;
import io.hallmark.server.http.RateLimiter.Limit;

import java.time.Duration;
import java.util.List;

/**
 * The per-client limits of a node, by family: EST enrollments (simpleenroll, simplereenroll, serverkeygen), REST API
 * calls, factory batch requests. Written {@code est=60/1h}, {@code api=600/1m}, {@code factory=off}
 * ('hallmark serve --rate-limit').
 */
public record RateLimits(Limit est, Limit api, Limit factory) {

    /**
     * Generous, so that no fleet or operator behaving normally meets them (a device enrolls a few times a year; the
     * EST benchmark re-enrolls 16 devices hundreds of times a second for seconds): they bound what one client can make
     * a node do, and an operator tightens them to the fleet (docs/security.md, "Rate limits").
     */
    public static final RateLimits DEFAULT = new RateLimits(new Limit(1000, Duration.ofMinutes(1)), new Limit(6000, Duration.ofMinutes(1)),
            new Limit(600, Duration.ofMinutes(1)));

    public static final RateLimits OFF = new RateLimits(Limit.OFF, Limit.OFF, Limit.OFF);

    /** {@link #DEFAULT} changed by {@code FAMILY=N/DURATION} or {@code FAMILY=off} items; BAD_INPUT names the one it cannot read. */
    public static RateLimits parse(List<String> items) {
        RateLimits limits = DEFAULT;
        for (String item : items) {
            int eq = item.indexOf('=');
            String family = eq < 0 ? item : item.substring(0, eq).strip();
            Limit limit = limit(eq < 0 ? "" : item.substring(eq + 1).strip(), item);
            limits = switch (family) {
                case "est" -> new RateLimits(limit, limits.api, limits.factory);
                case "api" -> new RateLimits(limits.est, limit, limits.factory);
                case "factory" -> new RateLimits(limits.est, limits.api, limit);
                default -> throw HallmarkException.badInput("--rate-limit " + item + ": the families are est, api and factory (e.g. est=60/1h)");
            };
        }
        return limits;
    }

    private static Limit limit(String text, String item) {
        if (text.equals("off")) return Limit.OFF;
        int slash = text.indexOf('/');
        try {
            int n = Integer.parseInt(text.substring(0, Math.max(slash, 0)));
            if (slash < 0 || n < 1) throw new NumberFormatException();
            return new Limit(n, Validity.parseDuration(text.substring(slash + 1)));
        } catch (NumberFormatException | HallmarkException e) {
            throw HallmarkException.badInput("--rate-limit " + item + ": write FAMILY=N/DURATION (N requests at once, given back over "
                    + "DURATION, e.g. est=60/1h or api=600/1m) or FAMILY=off");
        }
    }

    @Override
    public String toString() {
        return "est " + est + ", api " + api + ", factory " + factory;
    }
}
