package io.hallmark.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A token bucket per client for one family of routes (EST enrollment, the REST API, factory batches): a client may
 * send {@link Limit#requests()} at once, and gets them back evenly over {@link Limit#per()}. Beyond, it is answered 429
 * with Retry-After (the seconds until its next token) and one line. Buckets live in a Caffeine cache bounded in
 * entries and dropped when idle, so clients that each send one request (a scan, a flood of invented identities)
 * cannot grow memory: the worst they do is evict other buckets, which then start full again. Per node: a client that
 * alternates between nodes gets each node's allowance (docs/security.md, "Rate limits").
 */
public final class RateLimiter {

    /** How many buckets one family keeps at most: about 100 bytes each, so a few MiB at worst. */
    static final int MAX_CLIENTS = 50_000;

    /**
     * @param requests how many at once (the bucket's size); 0 means no limit
     * @param per      over how long they come back
     */
    public record Limit(int requests, Duration per) {

        public static final Limit OFF = new Limit(0, Duration.ofMinutes(1));

        public Limit {
            if (requests < 0 || per == null || per.isNegative() || per.isZero()) throw new IllegalArgumentException("a limit is N/DURATION with N >= 0");
        }

        public boolean off() {
            return requests == 0;
        }

        @Override
        public String toString() {
            return off() ? "off" : requests + " per " + per.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String family;
    private final Limit limit;
    private final Ticker ticker;
    private final Cache<String, Bucket> buckets;
    private final LongAdder refused = new LongAdder();

    public RateLimiter(String family, Limit limit) {
        this(family, limit, Ticker.systemTicker());
    }

    RateLimiter(String family, Limit limit, Ticker ticker) {
        this.family = family;
        this.limit = limit;
        this.ticker = ticker;
        // Idle for a whole period, a bucket is full again: forgetting it changes nothing.
        this.buckets = Caffeine.newBuilder().maximumSize(MAX_CLIENTS).expireAfterAccess(limit.per()).ticker(ticker).build();
    }

    /** Takes one token of {@code client}'s bucket, or refuses the request with 429 and Retry-After. */
    public void acquire(String client) {
        long waitNanos = take(client);
        if (waitNanos > 0) {
            refused.increment();
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            throw new HttpError(429, "too many " + family + " requests from this client (at most " + limit + "); retry in " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)));
        }
    }

    /**
     * Takes a token of {@code client}'s bucket if one is left, for a request that is answered anyway (a refused
     * credential is charged to the address it came from, which {@link #refuseExhausted} then turns away).
     */
    public void charge(String client) {
        take(client);
    }

    /** Refuses with 429 at once if {@code client} has no token left, taking none; for a check before the work of authenticating. */
    public void refuseExhausted(String client) {
        if (exhausted(client)) acquire(client);
    }

    private long take(String client) {
        if (limit.off()) return 0;
        return buckets.get(client, c -> new Bucket(limit, ticker.read())).take(ticker.read());
    }

    /** The bucket key of a client certificate: its SHA-256, so the key is short whatever the certificate's size. */
    public static String certificate(java.security.cert.X509Certificate leaf) {
        try {
            return "cert:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The bucket key of a request that carries no identity: the address it came from. */
    public static String address(Exchange x) {
        return "addr:" + x.remoteAddress();
    }

    /**
     * The bucket key of the refused credentials sent from the request's address: a bucket of its own, so that clients
     * behind one address with good credentials keep their allowance while one of them sends bad ones.
     */
    public static String refusals(Exchange x) {
        return "refused:" + x.remoteAddress();
    }

    /** Whether {@code client} has no token left now (taking none). */
    public boolean exhausted(String client) {
        if (limit.off()) return false;
        Bucket bucket = buckets.getIfPresent(client);
        return bucket != null && bucket.waitNanos(ticker.read()) > 0;
    }

    public String family() {
        return family;
    }

    public Limit limit() {
        return limit;
    }

    /** Requests refused with 429 since the start. */
    public long refused() {
        return refused.sum();
    }

    /** Clients with a bucket now (bounded by {@link #MAX_CLIENTS}). */
    public long clients() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    /** Tokens kept as nanoseconds of refill, so that refilling is one subtraction and never loses a fraction. */
    private static final class Bucket {
        private final long nanosPerToken;
        private final long capacityNanos;
        private long emptyUntil; // the time at which the bucket was (or will be) empty; full once capacityNanos before now

        Bucket(Limit limit, long now) {
            this.nanosPerToken = Math.max(1, limit.per().toNanos() / limit.requests());
            this.capacityNanos = nanosPerToken * limit.requests();
            this.emptyUntil = now - capacityNanos;
        }

        synchronized long take(long now) {
            long start = Math.max(emptyUntil, now - capacityNanos);
            long next = start + nanosPerToken;
            if (next > now) return next - now;
            emptyUntil = next;
            return 0;
        }

        synchronized long waitNanos(long now) {
            long next = Math.max(emptyUntil, now - capacityNanos) + nanosPerToken;
            return Math.max(0, next - now);
        }
    }
}
