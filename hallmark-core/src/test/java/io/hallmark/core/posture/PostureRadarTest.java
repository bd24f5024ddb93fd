package io.hallmark.core.posture;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.posture.PostureSnapshot.AuditState;
import io.hallmark.core.posture.PostureSnapshot.CaKey;
import io.hallmark.core.posture.PostureSnapshot.Custody;
import io.hallmark.core.posture.PostureSnapshot.RevocationState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The formulas of docs/console.md, fed numbers. */
class PostureRadarTest {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    static PostureSnapshot snapshot(Map<String, Long> storage, long expiring, long never, Instant checkpoint, boolean intact,
                                    List<RevocationState> revocation) {
        var cas = List.of(new CaKey("root", true, Custody.OFFLINE, "ec-p384"), new CaKey("idevid-ca", false, Custody.HSM, "ec-p256"),
                new CaKey("ldevid-ca", false, Custody.SOFTWARE, "rsa-2048"));
        var fleet = new FleetCounts(storage, Map.of("idevid-ca", 600L, "ldevid-ca", 400L), expiring, never, checkpoint);
        return new PostureSnapshot(NOW, cas, fleet, revocation, Duration.ofDays(8), new AuditState(true, intact, 1234));
    }

    @Test
    void eachAxisFollowsItsFormula() {
        var crlFresh = new RevocationState("idevid-ca", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30))); // 7 of 4 days left: 1; ocsp 1
        var crlLate = new RevocationState("ldevid-ca", NOW.minus(Duration.ofDays(6)), NOW.plus(Duration.ofDays(3)));  // 2 of 4 days: 0.5; ocsp 0.5
        var r = PostureRadar.score(snapshot(Map.of("secure-element", 30L, "tpm", 10L, "software", 50L, "unknown", 10L), 100, 500,
                NOW.minus(Duration.ofHours(2)), true, List.of(crlFresh, crlLate)));
        assertEquals(75, r.axis(PostureRadar.CA_KEY_CUSTODY).score(), "(2 + 1) / (2 + 1 + 1)");
        assertEquals(40, r.axis(PostureRadar.HARDWARE_DEVICE_KEYS).score(), "40 of 100 devices");
        assertEquals(75, r.axis(PostureRadar.REVOCATION_FRESHNESS).score(), "((1 + 1) / 2 + (0.5 + 0.5) / 2) / 2");
        assertEquals(80, r.axis(PostureRadar.EXPIRY_RISK).score(), "100 expiring of 500 that expire");
        assertEquals(Math.round(80 * (0.9 * 600 + 0.4 * 400) / 1000.0 + 20), r.axis(PostureRadar.CRYPTO_AGILITY).score());
        assertEquals(100, r.axis(PostureRadar.AUDIT_INTEGRITY).score());
        assertEquals(Math.round((75 + 40 + 75 + 80 + 76 + 100) / 6.0), r.overall());
    }

    @Test
    void emptyAndBrokenCases() {
        var r = PostureRadar.score(snapshot(Map.of(), 0, 1000, null, false, List.of(new RevocationState("idevid-ca", null, null))));
        assertEquals(0, r.axis(PostureRadar.HARDWARE_DEVICE_KEYS).score());
        assertEquals(100, r.axis(PostureRadar.EXPIRY_RISK).score(), "only never-expiring certificates: no expiry risk");
        assertEquals(0, r.axis(PostureRadar.REVOCATION_FRESHNESS).score());
        assertEquals(0, r.axis(PostureRadar.AUDIT_INTEGRITY).score(), "a broken chain scores 0 whatever the checkpoints");
        var stale = PostureRadar.score(snapshot(Map.of(), 0, 0, NOW.minus(Duration.ofDays(15).plusHours(12)), true, List.of()));
        assertEquals(75, stale.axis(PostureRadar.AUDIT_INTEGRITY).score(), "50 + 50 x (1 - 14.5 / 29)");
    }

    @Test
    void whatIfChangesOnlyTheSnapshotItIsGiven() {
        var real = snapshot(Map.of("software", 100L), 0, 0, null, true, List.of());
        var r = WhatIf.score(real, WhatIf.parse(List.of("hardware-keys=40%", "cas-in-hsm=true", "checkpoint=now")));
        assertEquals(40, r.axis(PostureRadar.HARDWARE_DEVICE_KEYS).score());
        assertEquals(100, r.axis(PostureRadar.CA_KEY_CUSTODY).score());
        assertEquals(100, r.axis(PostureRadar.AUDIT_INTEGRITY).score());
        assertEquals(0, PostureRadar.score(real).axis(PostureRadar.HARDWARE_DEVICE_KEYS).score(), "the snapshot itself is unchanged");
        assertEquals(HallmarkException.Kind.BAD_INPUT, assertThrows(HallmarkException.class,
                () -> WhatIf.score(real, Map.of("root-in-hsm", "yes"))).kind());
    }
}
