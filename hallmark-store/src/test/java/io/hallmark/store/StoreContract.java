package io.hallmark.store;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.audit.AuditVerification;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.DeviceRecord;
import io.hallmark.core.store.NewIdentity;
import io.hallmark.core.store.Revocation;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.core.store.Store;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** The same behaviour on every database: subclasses say which one. */
abstract class StoreContract {

    /** A fresh, migrated, empty store. */
    abstract Store newStore();

    /** The same database opened again (a second node, or a restart). */
    abstract Store reopen();

    /** The statement an attacker with database access runs first: drop the trigger that refuses audit deletes. */
    abstract String dropAuditDeleteTrigger();

    /** The database {@link #newStore} made, for a plain JDBC connection beside Hallmark's (what someone with database access has). */
    abstract String jdbcUrl();

    /** Runs statements on a connection of its own, not through the store; returns the last one's update count. */
    private int directly(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement st = c.createStatement()) {
            int count = 0;
            for (String sql : statements) count = st.executeUpdate(sql);
            return count;
        }
    }

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static CertificateAuthority ca(String name) {
        return new CertificateAuthority(name, null, KeyAlgorithm.EC_P256, "soft:" + name + "-00", new byte[]{1, 2, 3}, 1, List.of("idevid"), T0);
    }

    private static CertificateRecord cert(String serial, String device, Instant notAfter) {
        return new CertificateRecord(serial, "root", "idevid", device, "CN=" + serial, "k".repeat(64), "f".repeat(64),
                T0, notAfter, T0, new byte[]{4, 5, 6}, null);
    }

    /**
     * A long read (a CRL's million revocations, streamed) takes no write lock: a write on another thread commits while it
     * is open. On SQLite a write transaction would have held the database's one write lock for the whole read.
     */
    @Test
    void aWriteCommitsWhileAReadOnceIsOpen() {
        try (Store s = newStore()) {
            s.run(tx -> tx.cas().insert(ca("root")));
            var written = new java.util.concurrent.CountDownLatch(1);
            var writer = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                String seen = s.readOnce(tx -> {
                    String before = tx.certificates().find("0b").map(CertificateRecord::serial).orElse("none");
                    writer.submit(() -> {
                        s.run(w -> w.certificates().insert(cert("0b", null, T0.plusSeconds(60))));
                        written.countDown();
                    });
                    try {
                        assertTrue(written.await(20, java.util.concurrent.TimeUnit.SECONDS), "the write waited for the read");
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return before;
                });
                assertEquals("none", seen);
                assertEquals("0b", s.read(tx -> tx.certificates().find("0b")).orElseThrow().serial(), "the write is there after");
            } finally {
                writer.shutdownNow();
            }
        }
    }

    /**
     * A transaction opened inside another on the same thread would hold one pooled connection while waiting for a second:
     * enough callers doing it at once empty the pool. With assertions on (the tests) it fails at once; a different store
     * (a copy between two, say) and the same store on another thread are not nesting.
     */
    @Test
    void aTransactionInsideAnotherOnTheSameThreadIsRefused() throws Exception {
        try (Store s = newStore(); Store other = reopen()) {
            AssertionError nested = assertThrows(AssertionError.class, () -> s.read(tx -> s.read(inner -> 1)));
            assertTrue(nested.getMessage().contains("inside another on the same thread"), nested.getMessage());
            assertThrows(AssertionError.class, () -> s.read(tx -> s.inTransaction(inner -> 1)));
            assertEquals("2", s.read(tx -> other.read(inner -> "2")), "another store's transaction is not nested");
            var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                assertEquals("3", s.read(tx -> {
                    try {
                        return pool.submit(() -> s.read(inner -> "3")).get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }), "another thread's transaction is not nested");
            } finally {
                pool.shutdownNow();
            }
            assertEquals("4", s.read(tx -> "4"), "the refusal left the thread free for the next transaction");
        }
    }

    @Test
    void theConfigurationSequenceMovesWithSharedChangesOnlyAndListenersHearOfCommitsOnly() {
        try (Store s = newStore(); Store otherNode = reopen()) {
            List<Long> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<Long> heardElsewhere = new java.util.concurrent.CopyOnWriteArrayList<>();
            s.addConfigListener(heard::add);
            otherNode.addConfigListener(heardElsewhere::add);
            long start = sequence(s);

            s.run(tx -> tx.config().put("k", "{\"a\":1}"));
            s.run(tx -> tx.cas().insert(ca("root")));
            s.run(tx -> tx.certificates().insert(cert("0a", null, T0.plusSeconds(60))));
            s.run(tx -> tx.stations().insert(new io.hallmark.core.store.StationRecord("line-1", null, null, List.of("root"), List.of("idevid"),
                    10L, null, null, "0a", "f".repeat(64), 0, T0, null)));
            s.run(tx -> tx.stations().reserve("line-1", 3));
            s.run(tx -> tx.config().remove("absent"));
            s.run(tx -> tx.config().markChanged());
            assertEquals(List.of(start + 1, start + 2, start + 3, start + 4), heard, "config, CA, station, marked; not a certificate or a quota");
            assertEquals(start + 4, sequence(s));

            assertThrows(IllegalStateException.class, () -> s.run(tx -> {
                tx.config().put("k", "{\"a\":2}");
                throw new IllegalStateException("rolled back");
            }));
            assertEquals(4, heard.size(), "a rolled-back change is not heard");
            assertEquals(start + 4, sequence(s));
            assertEquals("{\"a\":1}", s.read(tx -> tx.config().get("k")).orElseThrow());

            s.run(tx -> tx.config().remove("k"));
            assertEquals(start + 5, heard.getLast());
            assertTrue(s.read(tx -> tx.config().get("k")).isEmpty());
            assertEquals(List.of(), heardElsewhere, "another node learns by polling the sequence, not by listening");
            assertEquals(start + 5, sequence(otherNode));
        }
    }

    /** A rollover re-certifies a CA: parent, certificate and profiles change, its key never; the sequence moves. */
    @Test
    void aCaUpdateReplacesParentCertificateAndProfilesButNeverTheKey() {
        try (Store s = newStore()) {
            s.run(tx -> tx.cas().insert(ca("root")));
            s.run(tx -> tx.cas().insert(ca("root-2")));
            s.run(tx -> tx.cas().insert(new CertificateAuthority("issuing", "root", KeyAlgorithm.EC_P256, "soft:issuing-00", new byte[]{7}, 0, List.of("ldevid"), T0)));
            long before = sequence(s);
            s.run(tx -> tx.cas().update(new CertificateAuthority("issuing", "root-2", KeyAlgorithm.EC_P256, "soft:issuing-00", new byte[]{8, 9}, 0, List.of("ldevid", "idevid"), T0)));
            CertificateAuthority after = s.read(tx -> tx.cas().find("issuing")).orElseThrow();
            assertEquals("root-2", after.parent());
            assertArrayEquals(new byte[]{8, 9}, after.certificate());
            assertEquals(List.of("ldevid", "idevid"), after.profiles());
            assertEquals(before + 1, sequence(s), "nodes re-read their CAs");
            assertThrows(RuntimeException.class, () -> s.run(tx -> tx.cas().update(new CertificateAuthority("issuing", "root", KeyAlgorithm.EC_P256,
                    "soft:another-key", new byte[]{1}, 0, List.of(), T0))), "another key is a new CA, not an update");
            assertEquals("root-2", s.read(tx -> tx.cas().find("issuing")).orElseThrow().parent(), "the refused update changed nothing");
        }
    }

    private static long sequence(Store s) {
        return s.read(tx -> tx.config().sequence());
    }

    @Test
    void recordsAndFindsCertificates() {
        try (Store s = newStore()) {
            s.run(tx -> {
                tx.cas().insert(ca("root"));
                tx.devices().ensure(new DeviceRecord("D1", T0, null, null));
                tx.certificates().insert(cert("0a", "D1", T0.plus(10, ChronoUnit.DAYS)));
                tx.certificates().insert(cert("0b", "D2", T0.plus(400, ChronoUnit.DAYS)));
            });
            CertificateRecord found = s.inTransaction(tx -> tx.certificates().find("0a")).orElseThrow();
            assertEquals("D1", found.deviceId());
            assertArrayEquals(new byte[]{4, 5, 6}, found.der());
            assertEquals(T0.plus(10, ChronoUnit.DAYS), found.notAfter());
            assertEquals(List.of("0a"), s.inTransaction(tx -> tx.certificates().find(new CertificateQuery("D1", null, null, null, 10)))
                    .stream().map(CertificateRecord::serial).toList());
            assertEquals(List.of("0a"), s.inTransaction(tx -> tx.certificates().find(new CertificateQuery(null, null, null, T0.plus(30, ChronoUnit.DAYS), 10)))
                    .stream().map(CertificateRecord::serial).toList());
            assertEquals(2L, (long) s.inTransaction(tx -> tx.certificates().count()));
            assertEquals("root", s.inTransaction(tx -> tx.cas().find("root")).orElseThrow().name());
        }
    }

    @Test
    void duplicateSerialIsAConflictAndRollsBackTheWholeTransaction() {
        try (Store s = newStore()) {
            s.run(tx -> {
                tx.cas().insert(ca("root"));
                tx.certificates().insert(cert("0a", null, T0.plusSeconds(60)));
            });
            HallmarkException e = assertThrows(HallmarkException.class, () -> s.run(tx -> {
                tx.certificates().insert(cert("0c", null, T0.plusSeconds(60)));
                tx.certificates().insert(cert("0a", null, T0.plusSeconds(60)));
            }));
            assertEquals(HallmarkException.Kind.CONFLICT, e.kind());
            assertTrue(s.inTransaction(tx -> tx.certificates().find("0c")).isEmpty(), "the first insert must have been rolled back");
        }
    }

    @Test
    void revocationIsRecordedOnce() {
        try (Store s = newStore()) {
            s.run(tx -> {
                tx.cas().insert(ca("root"));
                tx.certificates().insert(cert("0a", null, T0.plusSeconds(60)));
            });
            Revocation r = new Revocation(RevocationReason.keyCompromise, T0.plusSeconds(5), T0);
            assertEquals(Boolean.TRUE, s.inTransaction(tx -> tx.certificates().revoke("0a", r)));
            assertEquals(Boolean.FALSE, s.inTransaction(tx -> tx.certificates().revoke("0a", r)), "the first revocation stands");
            assertEquals(r, s.inTransaction(tx -> tx.certificates().find("0a")).orElseThrow().revocation());
            assertTrue(s.inTransaction(tx -> tx.certificates().find(new CertificateQuery(null, null, null, T0.plusSeconds(3600), 10))).isEmpty(),
                    "revoked certificates are not 'expiring'");
        }
    }

    @Test
    void aDeviceHasOneIdentityPerProfile() {
        try (Store s = newStore()) {
            s.run(tx -> {
                tx.cas().insert(ca("root"));
                tx.issuance().record(List.of(new NewIdentity(cert("0a", "D1", T0.plusSeconds(60)), new DeviceRecord("D1", T0, "1.2.3", "0a0b"),
                        true, null, "secure-element")));
                tx.devices().ensure(new DeviceRecord("D1", T0.plusSeconds(9), null, null));
            });
            assertEquals("1.2.3", s.inTransaction(tx -> tx.devices().find("D1")).orElseThrow().hwType(), "ensure keeps the first record");
            // A second identity of the same profile: refused by the binding's key, and the whole list with it.
            HallmarkException e = assertThrows(HallmarkException.class, () -> s.run(tx -> tx.issuance().record(List.of(
                    new NewIdentity(cert("0b", "D1", T0.plusSeconds(60)), new DeviceRecord("D1", T0, null, null), true, null, null)))));
            assertEquals(HallmarkException.Kind.CONFLICT, e.kind());
            assertTrue(s.inTransaction(tx -> tx.certificates().find("0b")).isEmpty(), "the refused list left no certificate");
            assertEquals("0a", s.inTransaction(tx -> tx.devices().identity("D1", "idevid")).orElseThrow());
        }
    }

    /**
     * A factory chunk goes through the bulk path (binary COPY on PostgreSQL, a JDBC batch on SQLite): every value,
     * nulls, non-ASCII text, bytes of every value and millisecond instants included, reads back as written, and
     * a chunk holding a stored serial, a serial twice or a device already bound is refused whole.
     */
    @Test
    void aChunkOfIdentitiesReadsBackAsWrittenAndDuplicatesAreRefusedWhole() throws SQLException {
        int n = JdbcIssuanceRepository.COPY_FROM + 8;
        List<NewIdentity> chunk = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) chunk.add(identity(i));
        try (Store s = newStore()) {
            s.run(tx -> tx.cas().insert(ca("root")));
            s.run(tx -> tx.issuance().record(chunk));
            java.util.Map<String, io.hallmark.core.store.IdentityProvenance> provenance =
                    s.inTransaction(tx -> tx.issuance().provenance(chunk.stream().map(c -> c.certificate().serial()).toList()));
            for (NewIdentity written : chunk) {
                CertificateRecord w = written.certificate();
                CertificateRecord r = s.inTransaction(tx -> tx.certificates().find(w.serial())).orElseThrow();
                assertEquals(List.of(w.serial(), w.caName(), w.profile(), String.valueOf(w.deviceId()), w.subject(), w.keyId(), w.fingerprint(),
                                w.notBefore(), w.notAfter(), w.issuedAt(), String.valueOf(w.crlPartition())),
                        List.of(r.serial(), r.caName(), r.profile(), String.valueOf(r.deviceId()), r.subject(), r.keyId(), r.fingerprint(),
                                r.notBefore(), r.notAfter(), r.issuedAt(), String.valueOf(r.crlPartition())), w.serial());
                assertArrayEquals(w.der(), r.der(), w.serial());
                assertEquals(io.hallmark.core.inventory.CertificateKeyAlgorithm.of(w.der()), keyAlgorithm(w.serial()));
                if (written.device() != null) {
                    assertEquals(written.device(), s.inTransaction(tx -> tx.devices().find(written.device().id())).orElseThrow());
                }
                if (written.bind()) {
                    assertEquals(w.serial(), s.inTransaction(tx -> tx.devices().identity(w.deviceId(), "idevid")).orElseThrow());
                    assertEquals(written.station(), provenance.get(w.serial()).station());
                    assertEquals(written.keyStorage(), provenance.get(w.serial()).keyStorage());
                } else {
                    assertNull(provenance.get(w.serial()), "no binding for " + w.serial());
                }
            }

            // Each refused list is as long as a chunk, so it takes the bulk path too; none of it may stay.
            List<NewIdentity> storedSerial = fresh(n, 1000);
            storedSerial.set(n / 2, chunk.get(3));
            List<NewIdentity> serialTwice = fresh(n, 2000);
            serialTwice.set(n - 1, new NewIdentity(cert(serialTwice.getFirst().certificate().serial(), null, T0.plusSeconds(60)), null, false, null, null));
            List<NewIdentity> deviceBound = fresh(n, 3000);
            NewIdentity bound = chunk.getFirst();
            deviceBound.set(n - 2, new NewIdentity(cert("77aa", bound.certificate().deviceId(), T0.plusSeconds(60)), null, true, null, null));
            for (List<NewIdentity> refused : List.of(storedSerial, serialTwice, deviceBound)) {
                HallmarkException e = assertThrows(HallmarkException.class, () -> s.run(tx -> tx.issuance().record(refused)));
                assertEquals(HallmarkException.Kind.CONFLICT, e.kind(), e::getMessage);
                for (NewIdentity r : refused) {
                    if (r == chunk.get(3)) continue;
                    assertTrue(s.inTransaction(tx -> tx.certificates().find(r.certificate().serial())).isEmpty(), "nothing of a refused list stays");
                }
            }
            assertEquals(bound.certificate().serial(), s.inTransaction(tx -> tx.devices().identity(bound.certificate().deviceId(), "idevid")).orElseThrow());
            assertEquals(n, count("SELECT COUNT(*) FROM certificates"), "the first chunk's certificates only");
        }
    }

    /** Item {@code i} of a chunk: devices with and without hardware modules, a certificate without device, varied nulls. */
    private static NewIdentity identity(int i) {
        String serial = String.format("%02x", i) + "00ff" + i;
        Instant at = T0.plusMillis(i * 1_001L + 7);
        byte[] der = new byte[3 + i * 7];
        for (int b = 0; b < der.length; b++) der[b] = (byte) (b * 31 + i);
        if (i % 7 == 6) {
            // no device: a certificate that binds nothing
            return new NewIdentity(new CertificateRecord(serial, "root", "idevid", null, "CN=" + serial, "a".repeat(64), "b".repeat(64),
                    at, at.plusSeconds(86_400), at, der, null, null), null, false, null, null);
        }
        String device = "DEV-ü-" + i;
        CertificateRecord c = new CertificateRecord(serial, "root", "idevid", device, "CN=Gerät " + i + " €,O=Ünïcode\\, Ltd", "%064x".formatted(i),
                "%064d".formatted(i), at, at.plusSeconds(86_400L * 365 * 100), at.plusMillis(1), der, null, i % 3 == 0 ? null : i % 5);
        DeviceRecord d = new DeviceRecord(device, at, i % 2 == 0 ? "1.3.6.1.4.1." + i : null, i % 2 == 0 ? "0a0b" + i : null);
        return new NewIdentity(c, d, true, i % 4 == 0 ? null : "line-" + i, i % 3 == 0 ? null : "secure-element");
    }

    /** {@code n} items none of which is stored yet, their serials and devices offset by {@code offset}. */
    private static List<NewIdentity> fresh(int n, int offset) {
        List<NewIdentity> list = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(identity(offset + i));
        }
        return list;
    }

    private String keyAlgorithm(String serial) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl());
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT key_algorithm FROM certificates WHERE serial = ?")) {
            ps.setString(1, serial);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), serial);
                return rs.getString(1);
            }
        }
    }

    private long count(String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void historyCannotBeRewritten() {
        try (Store s = newStore()) {
            s.run(tx -> {
                tx.cas().insert(ca("root"));
                tx.certificates().insert(cert("0a", null, T0.plusSeconds(60)));
                tx.audit().append("test", AuditEvent.of("x", "y"), T0);
            });
            // Refused by the triggers themselves (their message), not by, say, a lock the store still holds.
            SQLException update = assertThrows(SQLException.class, () -> directly("UPDATE certificates SET subject = 'CN=evil'"));
            assertTrue(update.getMessage().contains("certificates is append-only") || update.getMessage().contains("certificates are append-only"), update::getMessage);
            SQLException delete = assertThrows(SQLException.class, () -> directly("DELETE FROM audit_log"));
            assertTrue(delete.getMessage().contains("audit_log is append-only"), delete::getMessage);
            assertEquals("CN=0a", s.inTransaction(tx -> tx.certificates().find("0a")).orElseThrow().subject());
        }
    }

    @Test
    void cuttingTheTailOfTheAuditLogIsDetectedAgainstItsHead() throws SQLException {
        try (Store s = newStore()) {
            for (int i = 1; i <= 5; i++) {
                String subject = "e" + i;
                s.run(tx -> tx.audit().append("test", AuditEvent.of("test.append", subject), T0));
            }
            assertTrue(verify(s).intact(), () -> verify(s).problem());
            assertEquals(1, directly(dropAuditDeleteTrigger(), "DELETE FROM audit_log WHERE seq = 5"));
            AuditVerification v = verify(s);
            assertFalse(v.intact(), () -> "the last entry was deleted, yet: intact with " + v.entries() + " entries");
            assertEquals(5L, v.brokenAt());
            assertTrue(v.problem().contains("entry 5 is missing"), v.problem());
        }
    }

    /** What `hallmark audit verify` does. */
    private static AuditVerification verify(Store s) {
        return s.read(tx -> tx.audit().verify());
    }

    @Test
    void concurrentAppendsFromTwoNodesFormOneChain() throws Exception {
        try (Store a = newStore(); Store b = reopen()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new java.util.ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    Store s = i % 2 == 0 ? a : b;
                    int n = i;
                    futures.add(pool.submit(() -> s.run(tx -> tx.audit().append("node", AuditEvent.of("test.append", "e" + n), Instant.now()))));
                }
                for (Future<?> f : futures) f.get();
            } finally {
                pool.shutdown();
            }
            AuditVerification result = verify(a);
            assertTrue(result.intact(), () -> "chain broken: " + result.problem());
            assertEquals(200, result.entries());
        }
    }

    @Test
    void configIsOverwritten() {
        try (Store s = newStore()) {
            s.run(tx -> tx.config().put("k", "{\"a\":1}"));
            s.run(tx -> tx.config().put("k", "{\"a\":2}"));
            assertEquals("{\"a\":2}", s.inTransaction(tx -> tx.config().get("k")).orElseThrow());
        }
    }

    @Test
    void reopeningAnExistingDatabaseKeepsItsData() {
        try (Store s = newStore()) {
            s.run(tx -> tx.cas().insert(ca("root")));
        }
        try (Store again = reopen()) {
            assertTrue(again.inTransaction(tx -> tx.cas().find("root")).isPresent());
        }
    }

    @Test
    void eventsAreListedNewestFirstFilteredAndBoundedAndGiveADevicesLastSeen() {
        try (Store s = newStore()) {
            s.run(tx -> tx.devices().ensure(new io.hallmark.core.store.DeviceRecord("dev-1", T0, null, null)));
            s.run(tx -> tx.events().append(List.of(
                    io.hallmark.core.store.Event.of(T0, io.hallmark.core.store.EventType.ISSUANCE, "dev-1", "0a", "root/idevid"),
                    io.hallmark.core.store.Event.of(T0.plusSeconds(10), io.hallmark.core.store.EventType.ENROLLMENT, "dev-1", "0b", null),
                    io.hallmark.core.store.Event.of(T0.plusSeconds(20), io.hallmark.core.store.EventType.REVOCATION, "dev-2", "0c", "keyCompromise"),
                    new io.hallmark.core.store.Event(T0.plusSeconds(30), io.hallmark.core.store.EventType.OCSP, null, "ocsp", null, "n", 4200))));
            List<io.hallmark.core.store.Event> all = new java.util.ArrayList<>();
            s.run(tx -> tx.events().scan(null, null, null, 10, all::add));
            assertEquals(List.of("ocsp", "revocation", "enrollment", "issuance"), all.stream().map(e -> e.type().id()).toList());
            assertEquals(4200, all.getFirst().count());
            List<io.hallmark.core.store.Event> some = new java.util.ArrayList<>();
            s.run(tx -> tx.events().scan("dev-1", null, T0.plusSeconds(5), 10, some::add));
            assertEquals(List.of("0b"), some.stream().map(io.hallmark.core.store.Event::subject).toList());
            List<io.hallmark.core.store.Event> one = new java.util.ArrayList<>();
            s.run(tx -> tx.events().scan(null, io.hallmark.core.store.EventType.ISSUANCE, null, 1, one::add));
            assertEquals(1, one.size());
            List<io.hallmark.core.store.Event> limited = new java.util.ArrayList<>();
            s.run(tx -> tx.events().scan(null, null, null, 2, limited::add));
            assertEquals(2, limited.size());
            assertEquals(java.util.Optional.of(T0.plusSeconds(10)), s.read(tx -> tx.events().lastSeen("dev-1")));
            assertEquals(java.util.Optional.empty(), s.read(tx -> tx.events().lastSeen("nobody")));
        }
    }

    @Test
    void eventsAreAppendOnlyExceptBelowTheRetentionWatermarkWhichOnlyMovesForward() throws SQLException {
        try (Store s = newStore()) {
            s.run(tx -> {
                tx.devices().ensure(new io.hallmark.core.store.DeviceRecord("old", T0, null, null));
                tx.devices().ensure(new io.hallmark.core.store.DeviceRecord("new", T0, null, null));
            });
            s.run(tx -> tx.events().append(List.of(
                    io.hallmark.core.store.Event.of(T0, io.hallmark.core.store.EventType.ISSUANCE, "old", "0a", null),
                    io.hallmark.core.store.Event.of(T0.plus(10, ChronoUnit.DAYS), io.hallmark.core.store.EventType.ISSUANCE, "new", "0b", null))));
            SQLException update = assertThrows(SQLException.class, () -> directly("UPDATE events SET device_id = 'x'"));
            assertTrue(update.getMessage().contains("events are append-only"), update::getMessage);
            SQLException delete = assertThrows(SQLException.class, () -> directly("DELETE FROM events"));
            assertTrue(delete.getMessage().contains("events are append-only"), delete::getMessage);

            assertEquals(1L, (long) s.inTransaction(tx -> tx.events().purgeBefore(T0.plus(5, ChronoUnit.DAYS))));
            assertEquals(java.util.Optional.empty(), s.read(tx -> tx.events().lastSeen("old")));
            assertTrue(s.read(tx -> tx.events().lastSeen("new")).isPresent());
            // The event above the watermark still cannot be deleted, and the watermark cannot be moved back to reach it.
            assertThrows(SQLException.class, () -> directly("DELETE FROM events WHERE device_id = 'new'"));
            SQLException back = assertThrows(SQLException.class, () -> directly("UPDATE events_watermark SET purge_before = 0"));
            assertTrue(back.getMessage().contains("only moves forward"), back::getMessage);
            // A purge with an earlier cut-off (retention lengthened) deletes nothing and leaves the watermark where it was.
            assertEquals(0L, (long) s.inTransaction(tx -> tx.events().purgeBefore(T0)));
            assertTrue(s.read(tx -> tx.events().lastSeen("new")).isPresent());
        }
    }

    /** The jobs lease: one holder at a time, renewed by it, taken over once expired, let go on release. */
    @Test
    void aLeaseHasOneHolderWhoRenewsItAndAnotherTakesItOnceExpiredOrReleased() throws Exception {
        try (Store a = newStore(); Store b = reopen()) {
            java.time.Duration ttl = java.time.Duration.ofMillis(1500);
            assertTrue((boolean) a.inTransaction(tx -> tx.leases().acquire("jobs", "node-a", ttl)), "a free lease is taken");
            assertFalse((boolean) b.inTransaction(tx -> tx.leases().acquire("jobs", "node-b", ttl)), "not while another holds it");
            io.hallmark.core.store.Lease first = b.read(tx -> tx.leases().find("jobs")).orElseThrow();
            assertEquals("node-a", first.holder());
            assertTrue(first.expiresAt().isAfter(first.acquiredAt()), first::toString);

            Thread.sleep(100);
            assertTrue((boolean) a.inTransaction(tx -> tx.leases().acquire("jobs", "node-a", ttl)), "the holder renews");
            io.hallmark.core.store.Lease renewed = a.read(tx -> tx.leases().find("jobs")).orElseThrow();
            assertTrue(renewed.expiresAt().isAfter(first.expiresAt()), "renewing moves the expiry");
            assertEquals(first.acquiredAt(), renewed.acquiredAt(), "held without a break since the first");
            assertFalse((boolean) b.inTransaction(tx -> tx.leases().acquire("jobs", "node-b", ttl)));

            Thread.sleep(ttl.toMillis() + 200); // node-a stops renewing, as a node that died
            assertTrue((boolean) b.inTransaction(tx -> tx.leases().acquire("jobs", "node-b", ttl)), "an expired lease is taken over");
            assertFalse((boolean) a.inTransaction(tx -> tx.leases().acquire("jobs", "node-a", ttl)), "and the old holder cannot take it back");
            io.hallmark.core.store.Lease taken = a.read(tx -> tx.leases().find("jobs")).orElseThrow();
            assertEquals("node-b", taken.holder());
            assertTrue(taken.acquiredAt().isAfter(renewed.acquiredAt()));

            a.run(tx -> tx.leases().release("jobs", "node-a"));
            assertFalse((boolean) a.inTransaction(tx -> tx.leases().acquire("jobs", "node-a", ttl)), "releasing someone else's lease does nothing");
            b.run(tx -> tx.leases().release("jobs", "node-b"));
            assertTrue((boolean) a.inTransaction(tx -> tx.leases().acquire("jobs", "node-a", ttl)), "a released lease is free at once");
            assertTrue(a.read(tx -> tx.leases().find("other")).isEmpty(), "leases are by name");
        }
    }

    /** Nodes racing for a free lease: exactly one wins, whatever the interleaving. */
    @Test
    void nodesRacingForAFreeLeaseHaveOneWinner() throws Exception {
        try (Store a = newStore(); Store b = reopen()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 5; round++) {
                    String name = "race-" + round;
                    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                    List<Future<Boolean>> tries = new java.util.ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        Store s = i % 2 == 0 ? a : b;
                        String holder = "node-" + i;
                        tries.add(pool.submit(() -> {
                            go.await();
                            return s.inTransaction(tx -> tx.leases().acquire(name, holder, java.time.Duration.ofSeconds(30)));
                        }));
                    }
                    go.countDown();
                    int won = 0;
                    for (Future<Boolean> f : tries) won += f.get() ? 1 : 0;
                    assertEquals(1, won, "winners of " + name);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** The published CRL of a scope is replaced by a higher number only, so what nodes serve never steps back. */
    @Test
    void aPublishedCrlIsReplacedOnlyByAHigherNumber() {
        try (Store s = newStore(); Store other = reopen()) {
            s.run(tx -> tx.cas().insert(ca("root")));
            var whole = new io.hallmark.core.store.PublishedCrl.Scope("root", io.hallmark.core.store.CrlBase.WHOLE_CA, false);
            var delta = new io.hallmark.core.store.PublishedCrl.Scope("root", io.hallmark.core.store.CrlBase.WHOLE_CA, true);
            var part = new io.hallmark.core.store.PublishedCrl.Scope("root", 3, false);
            assertTrue(s.read(tx -> tx.crls().published(whole)).isEmpty());
            assertTrue((boolean) s.inTransaction(tx -> tx.crls().savePublished(published(whole, 5, null, new byte[]{5}))));
            assertFalse((boolean) other.inTransaction(tx -> tx.crls().savePublished(published(whole, 4, null, new byte[]{4}))), "a lower number is refused");
            assertFalse((boolean) other.inTransaction(tx -> tx.crls().savePublished(published(whole, 5, null, new byte[]{55}))), "so is the same");
            assertArrayEquals(new byte[]{5}, other.read(tx -> tx.crls().published(whole)).orElseThrow().der());
            assertTrue((boolean) other.inTransaction(tx -> tx.crls().savePublished(published(delta, 6, 5L, new byte[]{6}))), "a delta is a scope of its own");
            assertTrue((boolean) other.inTransaction(tx -> tx.crls().savePublished(published(whole, 7, null, new byte[]{7}))));
            assertTrue((boolean) s.inTransaction(tx -> tx.crls().savePublished(published(part, 2, null, new byte[]{2}))), "a partition too");

            var stored = s.read(tx -> tx.crls().published(whole)).orElseThrow();
            assertEquals(7, stored.number());
            assertArrayEquals(new byte[]{7}, stored.der());
            assertNull(stored.baseNumber());
            assertEquals(T0.plusSeconds(7), stored.thisUpdate());
            var storedDelta = s.read(tx -> tx.crls().published(delta)).orElseThrow();
            assertEquals(5L, storedDelta.baseNumber());
            assertTrue(storedDelta.delta());
            assertEquals(java.util.Optional.of(7L), s.read(tx -> tx.crls().publishedNumber(whole)));
            assertEquals(java.util.Map.of(whole, 7L, delta, 6L, part, 2L), s.read(tx -> tx.crls().publishedNumbers()));
        }
    }

    private static io.hallmark.core.store.PublishedCrl published(io.hallmark.core.store.PublishedCrl.Scope scope, long number, Long base, byte[] der) {
        return new io.hallmark.core.store.PublishedCrl(scope.caName(), scope.partition(), scope.delta(), number, base, T0.plusSeconds(number),
                T0.plusSeconds(number + 3600), number * 10, number > 1 ? 1 : 0, der);
    }
}
