package io.hallmark.store.inventory;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.inventory.Inventory;
import io.hallmark.core.inventory.InventoryFilters;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.DeviceRecord;
import io.hallmark.core.store.InventoryOverview;
import io.hallmark.core.store.InventoryRow;
import io.hallmark.core.store.InventoryStatus;
import io.hallmark.core.store.NewIdentity;
import io.hallmark.core.store.Revocation;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.core.store.Store;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Inventory queries on every database: subclasses say which one. */
abstract class InventoryContract {

    /** A fresh, migrated, empty store. */
    abstract Store newStore();

    /** The same database opened again. */
    abstract Store reopen();

    /** The database {@link #newStore} made, for a plain JDBC connection beside the store's. */
    abstract String jdbcUrl();

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static Inventory inventory(Store s) {
        return new Inventory(s, CLOCK, Profiles::builtIn);
    }

    private static CertificateAuthority ca(String name) {
        return new CertificateAuthority(name, null, KeyAlgorithm.EC_P256, "soft:" + name, new byte[]{1}, 0, List.of("idevid", "ldevid"), NOW);
    }

    private static CertificateRecord cert(String serial, String ca, String profile, String device, KeyAlgorithm algorithm, Instant notAfter,
                                          Instant issuedAt) {
        return new CertificateRecord(serial, ca, profile, device, "CN=" + serial, "k".repeat(64), "f".repeat(64), NOW.minus(Duration.ofDays(400)),
                notAfter, issuedAt, CertificateDers.of(algorithm, serial), null, null);
    }

    /** A device's IDevID, bound to it with the key storage recorded at provisioning. */
    private static void identity(Store s, String serial, String device, KeyAlgorithm algorithm, String keyStorage, Instant notAfter) {
        s.run(tx -> tx.issuance().record(List.of(new NewIdentity(cert(serial, "idevid-ca", "idevid", device, algorithm, notAfter, NOW.minusSeconds(900)),
                new DeviceRecord(device, NOW.minusSeconds(1000), null, null), true, "line-1", keyStorage))));
    }

    private static void ldevid(Store s, String serial, String device, Instant notAfter, Instant issuedAt) {
        s.run(tx -> tx.certificates().insert(cert(serial, "ldevid-ca", "ldevid", device, KeyAlgorithm.EC_P256, notAfter, issuedAt)));
    }

    private static void revoke(Store s, String serial) {
        s.run(tx -> tx.certificates().revoke(serial, new Revocation(RevocationReason.keyCompromise, NOW.minusSeconds(10), null)));
    }

    private static final Instant NEXT_YEAR = NOW.plus(Duration.ofDays(365));
    private static final Instant FOREVER = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * d1: IDevID a1 (ec-p256, secure element), one LDevID b1 never renewed.
     * d2: IDevID a2 (rsa-2048, software), LDevIDs b2 then b3 (re-enrolled).
     * d3: IDevID a3 (ec-p256, tpm) revoked, LDevID b4 alive.
     * d4: IDevID a4 (ed25519, software) expired; LDevID b5 expiring in 10 days.
     */
    private static Store fleet(Store s) {
        s.run(tx -> {
            tx.cas().insert(ca("idevid-ca"));
            tx.cas().insert(ca("ldevid-ca"));
        });
        identity(s, "a1", "d1", KeyAlgorithm.EC_P256, "secure-element", FOREVER);
        identity(s, "a2", "d2", KeyAlgorithm.RSA_2048, "software", FOREVER);
        identity(s, "a3", "d3", KeyAlgorithm.EC_P256, "tpm", FOREVER);
        identity(s, "a4", "d4", KeyAlgorithm.ED25519, "software", NOW.minusSeconds(60));
        ldevid(s, "b1", "d1", NEXT_YEAR, NOW.minusSeconds(500));
        ldevid(s, "b2", "d2", NOW.plus(Duration.ofDays(200)), NOW.minusSeconds(500));
        ldevid(s, "b3", "d2", NEXT_YEAR, NOW.minusSeconds(100));
        ldevid(s, "b4", "d3", NEXT_YEAR, NOW.minusSeconds(500));
        ldevid(s, "b5", "d4", NOW.plus(Duration.ofDays(10)), NOW.minusSeconds(500));
        revoke(s, "a3");
        return s;
    }

    private static List<String> serials(Inventory inventory, String... filters) {
        Map<String, String> text = InventoryFilters.text();
        for (int i = 0; i < filters.length; i += 2) text.put(filters[i], filters[i + 1]);
        List<String> out = new ArrayList<>();
        inventory.each(text, r -> out.add(r.serial()));
        List<String> paged = inventory.page(text, null, Inventory.MAX_PAGE).items().stream().map(InventoryRow::serial).toList();
        assertEquals(out, paged, "streamed and paged listings agree");
        return out;
    }

    @Test
    void eachFilterAndTheirCombinationsSelectWhatTheySay() {
        try (Store s = fleet(newStore())) {
            Inventory inv = inventory(s);
            assertEquals(List.of("a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4", "b5"), serials(inv));
            assertEquals(List.of("a1", "a2", "a3", "a4"), serials(inv, "ca", "idevid-ca"));
            assertEquals(List.of("b1", "b2", "b3", "b4", "b5"), serials(inv, "profile", "ldevid"));
            assertEquals(List.of("a2"), serials(inv, "algorithm", "rsa-2048"));
            assertEquals(List.of("a4"), serials(inv, "algorithm", "ED25519"));
            assertEquals(List.of("a1", "a3", "b1", "b2", "b3", "b4", "b5"), serials(inv, "algorithm", "ec-p256"));
            assertEquals(List.of("a2", "a4", "b2", "b3", "b5"), serials(inv, "key-storage", "software"));
            assertEquals(List.of("a3", "b4"), serials(inv, "key-storage", "tpm"));
            assertEquals(List.of("a3"), serials(inv, "status", "revoked"));
            assertEquals(List.of("a4"), serials(inv, "status", "expired"));
            assertEquals(List.of("a1", "a2", "b1", "b2", "b3", "b4", "b5"), serials(inv, "status", "valid"));
            assertEquals(List.of("a4", "b5"), serials(inv, "expiring-within", "30d"), "expired ones included, revoked ones not");
            assertEquals(List.of("b1", "b4", "b5"), serials(inv, "never-renewed", "true"), "d2 re-enrolled; identities are not LDevIDs");
            assertEquals(List.of("b4"), serials(inv, "idevid-revoked-ldevid-alive", "true"));
            // Combinations: every filter must hold.
            assertEquals(List.of("b5"), serials(inv, "key-storage", "software", "never-renewed", "true"));
            assertEquals(List.of("b5"), serials(inv, "ca", "ldevid-ca", "expiring-within", "30d"));
            assertEquals(List.of(), serials(inv, "ca", "idevid-ca", "algorithm", "rsa-2048", "status", "revoked"));
            assertEquals(List.of("a2"), serials(inv, "profile", "idevid", "key-storage", "software", "status", "valid"));

            InventoryRow a2 = inv.page(Map.of("algorithm", "rsa-2048"), null, 10).items().getFirst();
            assertEquals(new InventoryRow("a2", "idevid-ca", "idevid", "d2", "rsa-2048", "software", FOREVER, InventoryStatus.VALID, null), a2);
        }
    }

    @Test
    void deprecatedAlgorithmsAreASharedSettingThatFiltersAndCounts() {
        try (Store s = fleet(newStore()); Store otherNode = reopen()) {
            Inventory inv = inventory(s);
            assertEquals(List.of(), serials(inv, "deprecated", "true"), "nothing marked: nothing listed");
            assertEquals(List.of("rsa-2048"), inv.deprecate("RSA-2048", "test"));
            assertEquals(List.of("ed25519", "rsa-2048"), inv.deprecate("ed25519", "test"));
            assertEquals(List.of("a2", "a4"), serials(inventory(otherNode), "deprecated", "true"));
            assertEquals(List.of("a2"), serials(inv, "deprecated", "true", "status", "valid"));
            assertEquals(List.of(), serials(inv, "deprecated", "true", "algorithm", "ec-p256"), "both must hold");
            InventoryOverview o = inv.overview();
            assertEquals(2, o.onDeprecatedAlgorithm());
            assertEquals(List.of("ed25519"), inv.undeprecate("rsa-2048", "test"));
            assertEquals(List.of("a4"), serials(inv, "deprecated", "true"));
            assertEquals(Long.valueOf(3), s.<Long>read(tx -> {
                List<String> actions = new ArrayList<>();
                tx.audit().scan(e -> actions.add(e.action()));
                return actions.stream().filter(a -> a.startsWith("algorithm.")).count();
            }), "two deprecations and one undeprecation audited");
        }
    }

    @Test
    void theOverviewCountsByCaProfileAlgorithmStatusAndKeyStorage() {
        try (Store s = fleet(newStore())) {
            InventoryOverview o = inventory(s).overview();
            assertEquals(NOW, o.at());
            assertEquals(9, o.certificates());
            assertEquals(Map.of("idevid-ca", 4L, "ldevid-ca", 5L), o.byCa());
            assertEquals(Map.of("idevid", 4L, "ldevid", 5L), o.byProfile());
            assertEquals(Map.of("ec-p256", 7L, "rsa-2048", 1L, "ed25519", 1L), o.byAlgorithm());
            assertEquals(Map.of("valid", 7L, "revoked", 1L, "expired", 1L), o.byStatus());
            assertEquals(Map.of("secure-element", 1L, "software", 2L, "tpm", 1L), o.byKeyStorage());
            assertEquals(List.of(), o.deprecatedAlgorithms());
            // What the console, the radar and the metrics read from the same overview.
            assertEquals(Map.of("idevid-ca", Map.of("valid", 2L, "revoked", 1L, "expired", 1L),
                    "ldevid-ca", Map.of("valid", 5L, "revoked", 0L, "expired", 0L)), o.statusByCa());
            assertEquals(Map.of("ec-p256", 6L, "rsa-2048", 1L, "ed25519", 0L), o.validByAlgorithm());
            assertEquals(new java.util.LinkedHashMap<>(Map.of("7d", 0L, "30d", 1L, "90d", 0L, "1y", 1L, "later", 3L, "never", 2L)), o.expiry());
            assertEquals(InventoryOverview.BUCKETS, List.copyOf(o.expiry().keySet()), "in bucket order");
            assertEquals(Map.of("idevid-ca", Map.of("7d", 0L, "30d", 0L, "90d", 0L), "ldevid-ca", Map.of("7d", 0L, "30d", 1L, "90d", 0L)),
                    o.expiryByCa());
            assertEquals(new InventoryOverview.Devices(4, 0, 0), o.devices());
        }
    }

    @Test
    void expiryBucketsAndStatusPerCaFollowRevocationsAndTheClock() {
        try (Store s = newStore()) {
            s.run(tx -> tx.cas().insert(ca("ldevid-ca")));
            ldevid(s, "01", null, NOW.plus(Duration.ofDays(3)), NOW);    // within 7d
            ldevid(s, "02", null, NOW.plus(Duration.ofDays(20)), NOW);   // within 30d
            ldevid(s, "03", null, NOW.plus(Duration.ofDays(60)), NOW);   // within 90d
            ldevid(s, "04", null, NOW.plus(Duration.ofDays(400)), NOW);  // later
            ldevid(s, "05", null, NOW.minusSeconds(1), NOW);             // expired
            ldevid(s, "06", null, NOW.plus(Duration.ofDays(2)), NOW);    // revoked below: in no bucket
            ldevid(s, "07", null, NOW.minusSeconds(5), NOW);             // expired, then revoked: revoked
            revoke(s, "06");
            revoke(s, "07");
            InventoryOverview o = inventory(s).overview();
            assertEquals(Map.of("ldevid-ca", Map.of("valid", 4L, "revoked", 2L, "expired", 1L)), o.statusByCa());
            assertEquals(Map.of("ldevid-ca", Map.of("7d", 1L, "30d", 1L, "90d", 1L)), o.expiryByCa());
            assertEquals(List.of(1L, 1L, 1L, 0L, 1L, 0L), List.copyOf(o.expiry().values()));
            // Two weeks on, without a write: 01 has expired, 02 moved into the 7-day bucket, 03 into the 90-day one.
            InventoryOverview later = new Inventory(s, Clock.fixed(NOW.plus(Duration.ofDays(14)), ZoneOffset.UTC), Profiles::builtIn).overview();
            assertEquals(Map.of("ldevid-ca", Map.of("valid", 3L, "revoked", 2L, "expired", 2L)), later.statusByCa());
            assertEquals(Map.of("ldevid-ca", Map.of("7d", 1L, "30d", 0L, "90d", 1L)), later.expiryByCa());
        }
    }

    @Test
    void lastSeenMovesWithEnrollmentsReportedAuthenticationsAndOcspQueriesAndFilters() {
        try (Store s = fleet(newStore())) {
            s.run(tx -> tx.events().append(List.of(
                    io.hallmark.core.store.Event.of(NOW.minus(Duration.ofDays(1)), io.hallmark.core.store.EventType.ENROLLMENT, "d1", "b1", null),
                    new io.hallmark.core.store.Event(NOW.minus(Duration.ofDays(40)), io.hallmark.core.store.EventType.AUTH_REPORTED, "d2", "mqtts://b", "ok", null, 1),
                    // An operator's revocation is not the device showing up; nor is an event about an unregistered device.
                    io.hallmark.core.store.Event.of(NOW, io.hallmark.core.store.EventType.REVOCATION, "d4", "a4", "keyCompromise"),
                    io.hallmark.core.store.Event.of(NOW, io.hallmark.core.store.EventType.ENROLLMENT, "ghost", "zz", null))));
            Inventory inv = inventory(s);
            assertEquals(java.util.Optional.of(NOW.minus(Duration.ofDays(1))), s.read(tx -> tx.events().lastSeen("d1")));
            assertEquals(java.util.Optional.empty(), s.read(tx -> tx.events().lastSeen("d4")));
            assertEquals(java.util.Optional.empty(), s.read(tx -> tx.events().lastSeen("ghost")));
            assertEquals(List.of("a1", "b1"), serials(inv, "seen-within", "30d"));
            assertEquals(List.of("a1", "a2", "b1", "b2", "b3"), serials(inv, "seen-within", "60d"));
            assertEquals(List.of("a2", "a3", "a4", "b2", "b3", "b4", "b5"), serials(inv, "not-seen-within", "30d"), "never seen included");
            assertEquals(List.of("b1"), serials(inv, "seen-within", "30d", "profile", "ldevid"));
            assertEquals(new InventoryOverview.Devices(4, 0, 1), inv.overview().devices());

            // OCSP about d3's LDevID (and a serial of no certificate), as the responder's batch writes it.
            s.run(tx -> tx.events().seenBySerial(List.of("b4", "ffff"), NOW.minus(Duration.ofHours(1))));
            assertEquals(List.of("a3", "b4"), serials(inv, "seen-within", "12h"));
            InventoryRow b4 = inv.page(Map.of("seen-within", "12h", "profile", "ldevid"), null, 10).items().getFirst();
            assertEquals(NOW.minus(Duration.ofHours(1)), b4.lastSeen());
            // Never back: an older sighting leaves it where it is.
            s.run(tx -> tx.events().seenBySerial(List.of("b4"), NOW.minus(Duration.ofDays(3))));
            s.run(tx -> tx.events().append(io.hallmark.core.store.Event.of(NOW.minus(Duration.ofDays(5)), io.hallmark.core.store.EventType.ISSUANCE, "d3", "x", null)));
            assertEquals(java.util.Optional.of(NOW.minus(Duration.ofHours(1))), s.read(tx -> tx.events().lastSeen("d3")));
            assertEquals(new InventoryOverview.Devices(4, 0, 2), inv.overview().devices());
            // A blocked device is not live: neither counted nor counted as seen.
            s.run(tx -> tx.devices().block("d3", "keyCompromise", "a3", "test", NOW));
            assertEquals(new InventoryOverview.Devices(4, 1, 1), inv.overview().devices());

            for (Map<String, String> bad : List.of(Map.of("seen-within", "lately"), Map.of("not-seen-within", "0d"), Map.of("seen-within", ""))) {
                HallmarkException e = assertThrows(HallmarkException.class, () -> inv.page(bad, null, 10), bad::toString);
                assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind(), e::getMessage);
                assertTrue(e.getMessage().contains("seen-within"), e::getMessage);
            }
        }
    }

    @Test
    void pagesFollowEachOtherWithoutDuplicatesOrMissesWhileCertificatesAreAdded() {
        try (Store s = newStore()) {
            s.run(tx -> tx.cas().insert(ca("idevid-ca")));
            Set<String> before = new HashSet<>();
            for (int i = 0; i < 120; i++) {
                String serial = String.format("%02x%06x", i % 7 * 30, i);
                before.add(serial);
                s.run(tx -> tx.certificates().insert(cert(serial, "idevid-ca", "idevid", null, KeyAlgorithm.EC_P256, NEXT_YEAR, NOW)));
            }
            Inventory inv = inventory(s);
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            int added = 0;
            do {
                Inventory.Page page = inv.page(Map.of("ca", "idevid-ca"), cursor, 25);
                page.items().forEach(r -> seen.add(r.serial()));
                cursor = page.next();
                pages++;
                // Between pages, certificates arrive on both sides of the cursor.
                for (String serial : List.of(String.format("00f%05x", added), String.format("fff%05x", added))) {
                    s.run(tx -> tx.certificates().insert(cert(serial, "idevid-ca", "idevid", null, KeyAlgorithm.EC_P256, NEXT_YEAR, NOW)));
                }
                added++;
            } while (cursor != null);
            assertEquals(seen.size(), new HashSet<>(seen).size(), "no duplicates: " + seen);
            assertTrue(seen.containsAll(before), "every certificate there at the start is seen");
            assertEquals(seen.stream().sorted().toList(), seen, "in serial order");
            assertTrue(pages >= 5, "paged: " + pages);
        }
    }

    @Test
    void unknownFiltersValuesCursorsAndLimitsAreRefusedAsBadInput() {
        try (Store s = fleet(newStore())) {
            Inventory inv = inventory(s);
            for (Map<String, String> bad : List.of(Map.of("status", "alive"), Map.of("algorithm", "dsa-1024"), Map.of("key-storage", "usb"),
                    Map.of("ca", "nope-ca"), Map.of("profile", "nope"), Map.of("expiring-within", "soon"), Map.of("colour", "red"),
                    Map.of("never-renewed", "maybe"))) {
                HallmarkException e = assertThrows(HallmarkException.class, () -> inv.page(bad, null, 10), bad::toString);
                assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind(), e::getMessage);
            }
            String next = inv.page(Map.of(), null, 2).next();
            assertNotNull(next);
            for (String cursor : List.of("zz", next + "x", "MTpaWg", java.util.Base64.getUrlEncoder().encodeToString("2:a1".getBytes()))) {
                HallmarkException e = assertThrows(HallmarkException.class, () -> inv.page(Map.of(), cursor, 2), cursor);
                assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
                assertTrue(e.getMessage().contains("cursor"), e.getMessage());
            }
            for (int limit : new int[]{0, -1, Inventory.MAX_PAGE + 1}) {
                assertEquals(HallmarkException.Kind.BAD_INPUT, assertThrows(HallmarkException.class, () -> inv.page(Map.of(), null, limit)).kind());
            }
            assertThrows(HallmarkException.class, () -> inv.deprecate("blowfish", "test"));
        }
    }

    @Test
    void rowsFromBeforeTheAlgorithmWasRecordedAreFilledWhenTheStoreOpensAndNothingElseMayChange() throws SQLException {
        try (Store s = fleet(newStore())) {
            assertEquals(List.of("a2"), serials(inventory(s), "algorithm", "rsa-2048"));
        }
        byte[] der = CertificateDers.of(KeyAlgorithm.RSA_3072, "c1");
        try (Connection c = DriverManager.getConnection(jdbcUrl())) {
            // As an earlier version wrote it: no key_algorithm.
            try (var ps = c.prepareStatement("INSERT INTO certificates (serial, ca_name, profile, device_id, subject, key_id, fingerprint, not_before, "
                    + "not_after, issued_at, der) VALUES ('c1', 'idevid-ca', 'idevid', NULL, 'CN=c1', ?, ?, 0, ?, 0, ?)")) {
                ps.setString(1, "k".repeat(64));
                ps.setString(2, "f".repeat(64));
                ps.setLong(3, NEXT_YEAR.toEpochMilli());
                ps.setBytes(4, der);
                ps.executeUpdate();
            }
            if (!c.getAutoCommit()) c.commit();
        }
        try (Store s = reopen()) {
            assertEquals(List.of("c1"), serials(inventory(s), "algorithm", "rsa-3072"));
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement st = c.createStatement()) {
            SQLException changed = assertThrows(SQLException.class, () -> st.executeUpdate("UPDATE certificates SET key_algorithm = 'ec-p256' WHERE serial = 'c1'"));
            assertTrue(changed.getMessage().contains("append-only"), changed::getMessage);
        }
    }
}
