package io.hallmark.core.posture;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.posture.PostureSnapshot.AuditState;
import io.hallmark.core.posture.PostureSnapshot.CaKey;
import io.hallmark.core.posture.PostureSnapshot.Custody;
import io.hallmark.core.posture.PostureSnapshot.RevocationState;
import io.hallmark.core.store.InventoryOverview;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The formulas of docs/console.md, fed numbers. */
class PostureRadarTest {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    static final List<CaKey> CAS = List.of(new CaKey("root", true, Custody.OFFLINE, "ec-p384"), new CaKey("idevid-ca", false, Custody.HSM, "ec-p256"),
            new CaKey("ldevid-ca", false, Custody.SOFTWARE, "rsa-2048"));

    /** Counts as the store would give them: 1,000 valid certificates, {@code expiring} of them within 30 days, {@code never} never. */
    static InventoryOverview fleet(Map<String, Long> storage, Map<String, Long> validByAlgorithm, long expiring, long never,
                                   List<String> deprecated, InventoryOverview.Devices devices) {
        long valid = validByAlgorithm.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> expiry = new LinkedHashMap<>();
        expiry.put("7d", expiring / 2);
        expiry.put("30d", expiring - expiring / 2);
        expiry.put("90d", 0L);
        expiry.put("1y", 0L);
        expiry.put("later", valid - expiring - never);
        expiry.put("never", never);
        return new InventoryOverview(NOW, valid, Map.of(), Map.of(), validByAlgorithm, Map.of("valid", valid, "revoked", 0L, "expired", 0L),
                storage, deprecated, 0, Map.of(), validByAlgorithm, expiry, Map.of(), devices);
    }

    static PostureSnapshot snapshot(Map<String, Long> storage, long expiring, long never, Instant checkpoint, boolean intact,
                                    List<RevocationState> revocation) {
        var fleet = fleet(storage, Map.of("ec-p256", 600L, "rsa-2048", 400L), expiring, never, List.of(), new InventoryOverview.Devices(100, 10, 45));
        return new PostureSnapshot(NOW, CAS, fleet, revocation, Duration.ofDays(8), new AuditState(true, intact, 1234, 1200, checkpoint));
    }

    @Test
    void eachAxisFollowsItsFormula() {
        var crlFresh = new RevocationState("idevid-ca", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30))); // 7 of 4 days left: 1; ocsp 1
        var crlLate = new RevocationState("ldevid-ca", NOW.minus(Duration.ofDays(6)), NOW.plus(Duration.ofDays(3)));  // 2 of 4 days: 0.5; ocsp 0.5
        var r = PostureRadar.score(snapshot(Map.of("secure-element", 30L, "tpm", 10L, "software", 50L, "unrecorded", 10L), 100, 500,
                NOW.minus(Duration.ofHours(2)), true, List.of(crlFresh, crlLate)));
        assertEquals(75, r.axis(PostureRadar.CA_KEY_CUSTODY).score(), "(2 + 1) / (2 + 1 + 1)");
        assertEquals(40, r.axis(PostureRadar.HARDWARE_DEVICE_KEYS).score(), "40 of 100 devices");
        assertEquals(75, r.axis(PostureRadar.REVOCATION_FRESHNESS).score(), "((1 + 1) / 2 + (0.5 + 0.5) / 2) / 2");
        assertEquals(80, r.axis(PostureRadar.EXPIRY_RISK).score(), "100 expiring of 500 that expire");
        long agility = Math.round(60 * (0.9 * 600 + 0.4 * 400) / 1000.0 + 20 * (1.0 + 0.9 + 0.4) / 3 + 10);
        assertEquals(agility, r.axis(PostureRadar.CRYPTO_AGILITY).score(), "certificates' keys, CAs' keys, two families, no post-quantum");
        assertEquals(100, r.axis(PostureRadar.AUDIT_INTEGRITY).score());
        assertEquals("checkpoint at entry 1200", r.axis(PostureRadar.AUDIT_INTEGRITY).evidence().get("verifiedFrom"));
        assertEquals(50, r.axis(PostureRadar.TELEMETRY_COVERAGE).score(), "45 seen of 90 live (100 registered, 10 blocked)");
        assertEquals(7, r.axes().size());
        assertEquals(Math.round((75 + 40 + 75 + 80 + agility + 100 + 50) / 7.0), r.overall());
    }

    @Test
    void cryptoAgilityFollowsTheCertificatesKeysTheDeprecatedMarksAndPostQuantumNames() {
        var devices = new InventoryOverview.Devices(0, 0, 0);
        var classic = fleet(Map.of(), Map.of("ec-p256", 1000L), 0, 0, List.of(), devices);
        var snapshot = new PostureSnapshot(NOW, CAS, classic, List.of(), Duration.ofDays(8), new AuditState(false, false, 0, 0, null));
        int before = PostureRadar.score(snapshot).axis(PostureRadar.CRYPTO_AGILITY).score();
        // The same CAs; half the fleet moved to RSA-2048 keys: the certificates' own keys count, not their CA's.
        var rsa = with(snapshot, fleet(Map.of(), Map.of("ec-p256", 500L, "rsa-2048", 500L), 0, 0, List.of(), devices));
        int afterRsa = PostureRadar.score(rsa).axis(PostureRadar.CRYPTO_AGILITY).score();
        assertEquals(Math.round(60 * 0.9 + 20 * 2.3 / 3 + 10), before);
        assertEquals(Math.round(60 * (0.9 * 500 + 0.4 * 500) / 1000 + 20 * 2.3 / 3 + 10), afterRsa);
        // rsa-2048 marked deprecated: it counts 0, for the certificates and for the CA that uses it.
        var deprecated = with(snapshot, fleet(Map.of(), Map.of("ec-p256", 500L, "rsa-2048", 500L), 0, 0, List.of("rsa-2048"), devices));
        var d = PostureRadar.score(deprecated).axis(PostureRadar.CRYPTO_AGILITY);
        assertEquals(Math.round(60 * 0.45 + 20 * 1.9 / 3 + 10), d.score());
        assertEquals(500L, d.evidence().get("validOnDeprecated"));
        // Post-quantum names count 1 and add the post-quantum bonus, whatever their spelling of the set.
        for (String pq : List.of("ml-dsa-65", "slh-dsa-sha2-128s", "mldsa65-ecdsa-p256-composite")) {
            assertTrue(PostureRadar.postQuantum(pq), pq);
            var moved = with(snapshot, fleet(Map.of(), Map.of("ec-p256", 500L, pq, 500L), 0, 0, List.of(), devices));
            var a = PostureRadar.score(moved).axis(PostureRadar.CRYPTO_AGILITY);
            assertEquals(Math.round(60 * (0.9 * 500 + 1.0 * 500) / 1000 + 20 * 2.3 / 3 + 10 + 10), a.score(), pq);
            assertEquals(500L, a.evidence().get("postQuantumCertificates"));
        }
        assertEquals(false, PostureRadar.postQuantum("ec-p256"));
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
        var none = with(snapshot(Map.of(), 0, 0, null, true, List.of()), fleet(Map.of(), Map.of(), 0, 0, List.of(), new InventoryOverview.Devices(0, 0, 0)));
        assertEquals(0, PostureRadar.score(none).axis(PostureRadar.TELEMETRY_COVERAGE).score(), "no devices: 0");
        assertEquals(0, PostureRadar.score(none).axis(PostureRadar.CRYPTO_AGILITY).score() - (int) Math.round(20 * 2.3 / 3 + 10));
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

    private static PostureSnapshot with(PostureSnapshot s, InventoryOverview fleet) {
        return new PostureSnapshot(s.at(), s.cas(), fleet, s.revocation(), s.crlValidity(), s.audit());
    }
}
