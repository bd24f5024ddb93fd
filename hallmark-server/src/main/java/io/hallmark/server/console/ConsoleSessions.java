package io.hallmark.server.console;

import io.hallmark.core.principal.Principal;
import io.hallmark.core.store.Store;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Console sessions as HMAC-signed cookies: {@code principalId|expiry|nonce} and its MAC under a key kept in the shared
 * configuration, so any node of a cluster accepts a session another node opened and nothing is held per node. The
 * CSRF token is a second MAC over the same value: bound to the session, checked without state. The principal is
 * read again on every request ({@link ConsoleEndpoints}), so a revoked token ends its sessions at once.
 */
final class ConsoleSessions {

    static final String COOKIE = "hallmark_session";
    static final String KEY = "console.sessionKey";
    static final Duration TTL = Duration.ofHours(8);

    /** An open session: who, until when, and the CSRF token every change must carry. */
    record Session(String principalId, Instant expires, String cookie, String csrf) {
    }

    private final Store store;
    private final Clock clock;
    private volatile byte[] key;

    ConsoleSessions(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Session open(Principal principal) {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String payload = principal.id() + "|" + clock.instant().plus(TTL).getEpochSecond() + "|" + HexFormat.of().formatHex(nonce);
        return session(payload);
    }

    /** The session a cookie value holds, if its MAC is right and it has not expired. */
    Optional<Session> read(String cookie) {
        if (cookie == null || cookie.length() > 512) return Optional.empty();
        int dot = cookie.lastIndexOf('.');
        if (dot <= 0) return Optional.empty();
        String payload;
        try {
            payload = new String(Base64.getUrlDecoder().decode(cookie.substring(0, dot)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Session s = session(payload);
        if (!MessageDigest.isEqual(s.cookie().getBytes(StandardCharsets.US_ASCII), cookie.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return s.expires().isAfter(clock.instant()) ? Optional.of(s) : Optional.empty();
    }

    /** The Set-Cookie header value of a session, or of its removal when {@code s} is null. */
    static String setCookie(Session s) {
        String common = "; Path=/; HttpOnly; Secure; SameSite=Strict";
        return s == null ? COOKIE + "=" + common + "; Max-Age=0" : COOKIE + "=" + s.cookie() + common + "; Max-Age=" + TTL.toSeconds();
    }

    private Session session(String payload) {
        String[] parts = payload.split("\\|", -1);
        Instant expires = parts.length == 3 && parts[1].matches("\\d{1,12}") ? Instant.ofEpochSecond(Long.parseLong(parts[1])) : Instant.EPOCH;
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return new Session(parts[0], expires, encoded + "." + mac("session|" + payload), mac("csrf|" + payload));
    }

    private String mac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The shared key: read once, made by the first node that needs it (inside the transaction that checks for it). */
    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            String hex = store.inTransaction(tx -> tx.config().get(KEY).map(v -> v.replace("\"", "")).orElseGet(() -> {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                String h = HexFormat.of().formatHex(fresh);
                tx.config().put(KEY, "\"" + h + "\"");
                return h;
            }));
            key = k = HexFormat.of().parseHex(hex);
        }
        return k;
    }
}
