package io.hallmark.server.console;

import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role;
import io.hallmark.store.JdbcStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signed session cookies: accepted by another node over the same store, refused when altered or expired. */
class ConsoleSessionsTest {

    @TempDir
    java.nio.file.Path dir;

    static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
    static final Principal ALICE = new Principal("abc123", "alice", Role.OPERATOR, Principal.Kind.TOKEN, "h", T0, null, null);

    @Test
    void anotherNodeAcceptsTheSessionAndNothingElse() {
        try (JdbcStore store = JdbcStore.open(dir, null)) {
            var nodeA = new ConsoleSessions(store, Clock.fixed(T0, ZoneOffset.UTC));
            var s = nodeA.open(ALICE);
            var nodeB = new ConsoleSessions(store, Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
            var read = nodeB.read(s.cookie()).orElseThrow();
            assertEquals("abc123", read.principalId());
            assertEquals(s.csrf(), read.csrf(), "the CSRF token follows the session, whichever node checks it");
            assertNotEquals(s.csrf(), nodeA.open(ALICE).csrf(), "each session its own token");

            String payload = new String(Base64.getUrlDecoder().decode(s.cookie().substring(0, s.cookie().indexOf('.'))), StandardCharsets.UTF_8);
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replace("abc123", "admin1").getBytes(StandardCharsets.UTF_8))
                    + s.cookie().substring(s.cookie().indexOf('.'));
            assertTrue(nodeB.read(forged).isEmpty(), "another principal under the old MAC");
            assertTrue(nodeB.read(s.cookie() + "x").isEmpty());
            assertTrue(nodeB.read("garbage").isEmpty());
            assertTrue(nodeB.read(null).isEmpty());

            var later = new ConsoleSessions(store, Clock.fixed(T0.plus(ConsoleSessions.TTL).plusSeconds(1), ZoneOffset.UTC));
            assertTrue(later.read(s.cookie()).isEmpty(), "expired after " + ConsoleSessions.TTL);
        }
    }

    @Test
    void theCookieIsHttpOnlySecureAndStrict() {
        String header = ConsoleSessions.setCookie(new ConsoleSessions.Session("p", T0, "v.m", "c"));
        assertTrue(header.startsWith("hallmark_session=v.m;") && header.contains("HttpOnly") && header.contains("Secure")
                && header.contains("SameSite=Strict") && header.contains("Path=/"), header);
        assertTrue(ConsoleSessions.setCookie(null).contains("Max-Age=0"));
    }
}
