package io.hallmark.server.http;

import com.github.benmanes.caffeine.cache.Ticker;
import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final Ticker ticker = now::get;

    @Test
    void aClientBeyondItsAllowanceIsAnswered429WithRetryAfterAndOthersAreNot() {
        RateLimiter limiter = new RateLimiter("EST", new RateLimiter.Limit(3, Duration.ofSeconds(30)), ticker);
        for (int i = 0; i < 3; i++) limiter.acquire("cert:a");

        HttpError e = assertThrows(HttpError.class, () -> limiter.acquire("cert:a"));
        assertEquals(429, e.status());
        assertEquals("10", e.headers().get("Retry-After"), "one token comes back every 10 s");
        assertEquals("too many EST requests from this client (at most 3 per 30s); retry in 10 s", e.getMessage());
        assertEquals(1, limiter.refused());

        limiter.acquire("cert:b"); // another client has its own bucket
        limiter.acquire("cert:b");
        assertTrue(limiter.exhausted("cert:a"));
        assertFalse(limiter.exhausted("cert:b"));
    }

    @Test
    void tokensComeBackEvenlyAndAWholeWindowRefillsTheBucket() {
        RateLimiter limiter = new RateLimiter("API", new RateLimiter.Limit(3, Duration.ofSeconds(30)), ticker);
        for (int i = 0; i < 3; i++) limiter.acquire("principal:p");
        assertEquals(429, assertThrows(HttpError.class, () -> limiter.acquire("principal:p")).status());

        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertEquals("1", assertThrows(HttpError.class, () -> limiter.acquire("principal:p")).headers().get("Retry-After"));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        limiter.acquire("principal:p"); // one token back after 10 s
        assertThrows(HttpError.class, () -> limiter.acquire("principal:p"));

        now.addAndGet(Duration.ofMinutes(5).toNanos()); // idle far longer than the window: full, never more
        for (int i = 0; i < 3; i++) limiter.acquire("principal:p");
        assertThrows(HttpError.class, () -> limiter.acquire("principal:p"));
    }

    @Test
    void chargingTakesWhatIsLeftWithoutRefusingAndAnExhaustedClientIsTurnedAwayAtOnce() {
        RateLimiter limiter = new RateLimiter("API", new RateLimiter.Limit(2, Duration.ofMinutes(1)), ticker);
        limiter.refuseExhausted("refused:1.2.3.4"); // nothing charged yet: passes, takes nothing
        for (int i = 0; i < 5; i++) limiter.charge("refused:1.2.3.4");
        assertEquals(0, limiter.refused(), "charging never answers 429 itself");
        HttpError e = assertThrows(HttpError.class, () -> limiter.refuseExhausted("refused:1.2.3.4"));
        assertEquals(429, e.status());
        assertEquals("30", e.headers().get("Retry-After"));
    }

    @Test
    void offLimitsNothingAndTracksNoClient() {
        RateLimiter limiter = new RateLimiter("factory", RateLimiter.Limit.OFF, ticker);
        for (int i = 0; i < 10_000; i++) limiter.acquire("cert:" + i);
        assertEquals(0, limiter.clients());
    }

    /** One request each from far more clients than it keeps: memory stays bounded by the cache, not by the attacker. */
    @Test
    void bucketsAreBoundedWhateverTheNumberOfClients() {
        RateLimiter limiter = new RateLimiter("API", new RateLimiter.Limit(5, Duration.ofHours(1)), ticker);
        for (int i = 0; i < RateLimiter.MAX_CLIENTS * 3; i++) limiter.acquire("addr:" + i);
        assertTrue(limiter.clients() <= RateLimiter.MAX_CLIENTS, limiter.clients() + " buckets");
    }

    @Test
    void limitsAreReadAsFamilyEqualsRequestsPerDuration() {
        RateLimits limits = RateLimits.parse(List.of("est=60/1h", "api=off"));
        assertEquals(new RateLimiter.Limit(60, Duration.ofHours(1)), limits.est());
        assertTrue(limits.api().off());
        assertEquals(RateLimits.DEFAULT.factory(), limits.factory());
        assertEquals("est 60 per 1h, api off, factory 600 per 1m", limits.toString());
        for (String bad : List.of("est", "est=", "est=0/1m", "est=10", "est=10/soon", "ocsp=10/1m", "est=-1/1m", "est=99999999999/1m")) {
            HallmarkException e = assertThrows(HallmarkException.class, () -> RateLimits.parse(List.of(bad)), bad);
            assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().startsWith("--rate-limit " + bad + ": "), e.getMessage());
        }
    }
}
