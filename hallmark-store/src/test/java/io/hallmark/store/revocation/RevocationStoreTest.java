package io.hallmark.store.revocation;

import io.hallmark.core.Hallmark;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.revoke.CrlService.GeneratedCrl;
import io.hallmark.core.revoke.Revoker;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.RevocationReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Revocation records on both databases: by device, by batch, device blocks, CRL numbering across nodes. */
class RevocationStoreTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void revokingADeviceRevokesAllItsCurrentCertificatesAndBlocksIt(String db) {
        try (Fixture f = Fixture.of(db, dir)) {
            CertificateRecord idevid = f.idevid("DEV-1");
            CertificateRecord l1 = f.ldevid("l1", "DEV-1");
            CertificateRecord l2 = f.ldevid("l2", "DEV-1");
            CertificateRecord bystander = f.ldevid("other", "DEV-2");
            f.hallmark.revoker().revoke(l1.serial(), RevocationReason.superseded, null, Fixture.ACTOR);
            assertFalse(isBlocked(f.hallmark, "DEV-1"), "an LDevID revocation does not block the device");

            Revoker.DeviceOutcome out = f.hallmark.revoker().revokeDevice("DEV-1", RevocationReason.keyCompromise, null, Fixture.ACTOR);
            assertEquals(List.of(idevid.serial(), l2.serial()).stream().sorted().toList(),
                    out.revoked().stream().map(CertificateRecord::serial).sorted().toList(), "the already revoked l1 is left as it was");
            assertTrue(isBlocked(f.hallmark, "DEV-1"));
            assertFalse(isBlocked(f.hallmark, "DEV-2"));
            assertEquals(RevocationReason.superseded, find(f.hallmark, l1.serial()).revocation().reason());
            assertEquals(RevocationReason.keyCompromise, find(f.hallmark, l2.serial()).revocation().reason());
            assertNull(find(f.hallmark, bystander.serial()).revocation());

            // A blocked device gets nothing more, and blocking twice is refused as a conflict.
            var refused = assertThrows(HallmarkException.class, () -> f.ldevid("l3", "DEV-1"));
            assertEquals(HallmarkException.Kind.FORBIDDEN, refused.kind());
            assertEquals(HallmarkException.Kind.CONFLICT, assertThrows(HallmarkException.class,
                    () -> f.hallmark.revoker().revokeDevice("DEV-1", RevocationReason.keyCompromise, null, Fixture.ACTOR)).kind());
            assertEquals(HallmarkException.Kind.NOT_FOUND, assertThrows(HallmarkException.class,
                    () -> f.hallmark.revoker().revokeDevice("NO-SUCH", RevocationReason.keyCompromise, null, Fixture.ACTOR)).kind());
            // The audit chain recorded it all and still verifies.
            assertTrue(f.hallmark.verifyAudit().intact(), f.hallmark.verifyAudit().toString());
        }
    }

    /**
     * A CRL reads the revocations with their copied CA, notAfter and partition (V17), and still finds a revocation
     * written without them (a row from before V17, or from a writer that knows only the old columns).
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void crlListsRevocationsWithAndWithoutTheirCopiedColumns(String db) throws Exception {
        try (Fixture f = Fixture.of(db, dir)) {
            CertificateRecord viaRevoker = f.ldevid("a", "DEV-A");
            CertificateRecord oldRow = f.ldevid("b", "DEV-B");
            CertificateRecord notRevoked = f.ldevid("c", "DEV-C");
            CertificateRecord otherCa = f.idevid("DEV-D");
            f.hallmark.revoker().revoke(viaRevoker.serial(), RevocationReason.superseded, null, Fixture.ACTOR);
            f.hallmark.revoker().revoke(otherCa.serial(), RevocationReason.superseded, null, Fixture.ACTOR);
            String url = f.dbUrl != null ? f.dbUrl : "jdbc:sqlite:" + dir.resolve("hallmark.db");
            try (var c = java.sql.DriverManager.getConnection(url); var ps = c.prepareStatement(
                    "INSERT INTO revocations (serial, reason, revoked_at, invalidity_date, seq) VALUES (?, 'keyCompromise', ?, NULL, NULL)")) {
                ps.setString(1, oldRow.serial());
                ps.setLong(2, System.currentTimeMillis() - 60_000);
                ps.executeUpdate();
                var rs = c.createStatement().executeQuery("SELECT ca_name, not_after FROM revocations WHERE serial = '" + viaRevoker.serial() + "'");
                assertTrue(rs.next());
                assertEquals("ldevid-ca", rs.getString(1), "the revoker's row carries its certificate's CA");
                assertEquals(viaRevoker.notAfter().toEpochMilli(), rs.getLong(2));
            }
            GeneratedCrl crl = f.hallmark.crls().generateUnscoped("ldevid-ca");
            assertEquals(2, crl.entries());
            var holder = new org.bouncycastle.cert.X509CRLHolder(crl.der());
            assertNotNull(holder.getRevokedCertificate(new java.math.BigInteger(viaRevoker.serial(), 16)));
            var old = holder.getRevokedCertificate(new java.math.BigInteger(oldRow.serial(), 16));
            assertNotNull(old, "the row without the copied columns is found through its certificate");
            assertNull(holder.getRevokedCertificate(new java.math.BigInteger(notRevoked.serial(), 16)));
            assertNull(holder.getRevokedCertificate(new java.math.BigInteger(otherCa.serial(), 16)));
            assertEquals(1, f.hallmark.crls().generateUnscoped("idevid-ca").entries());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void revokingAnIdevidBySerialBlocksItsDevice(String db) {
        try (Fixture f = Fixture.of(db, dir)) {
            CertificateRecord idevid = f.idevid("DEV-9");
            f.hallmark.revoker().revoke(idevid.serial(), RevocationReason.keyCompromise, null, Fixture.ACTOR);
            assertTrue(isBlocked(f.hallmark, "DEV-9"));
            // The database itself refuses to lift a block (checked with the pool closed: SQLite has one writer).
            f.hallmark.close();
            String url = f.dbUrl != null ? f.dbUrl : "jdbc:sqlite:" + dir.resolve("hallmark.db");
            try (var c = java.sql.DriverManager.getConnection(url)) {
                var e = assertThrows(java.sql.SQLException.class, () -> c.createStatement().executeUpdate("DELETE FROM device_blocks"));
                assertTrue(e.getMessage().contains("append-only"), e.getMessage());
                var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM device_blocks WHERE device_id = 'DEV-9'");
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            } catch (java.sql.SQLException e) {
                throw new AssertionError(e);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aBatchIsAllOrNothing(String db) {
        try (Fixture f = Fixture.of(db, dir)) {
            List<String> serials = new ArrayList<>();
            for (int i = 0; i < 5; i++) serials.add(f.ldevid("b" + i, "B-" + i).serial());
            long seqBefore = f.hallmark.store().inTransaction(tx -> tx.certificates().revocationSequence());

            List<String> withUnknown = new ArrayList<>(serials);
            withUnknown.add("0bad0bad");
            var refused = assertThrows(HallmarkException.class,
                    () -> f.hallmark.revoker().revokeBatch(withUnknown, RevocationReason.cessationOfOperation, null, Fixture.ACTOR));
            assertEquals(HallmarkException.Kind.NOT_FOUND, refused.kind());
            assertTrue(refused.getMessage().contains("bad0bad") && refused.getMessage().contains("nothing revoked"), refused.getMessage());
            for (String s : serials) assertNull(find(f.hallmark, s).revocation(), "nothing half-applied");
            assertEquals(seqBefore, (long) f.hallmark.store().inTransaction(tx -> tx.certificates().revocationSequence()));
            assertEquals(HallmarkException.Kind.BAD_INPUT, assertThrows(HallmarkException.class,
                    () -> f.hallmark.revoker().revokeBatch(List.of(serials.get(0), "not hex!"), RevocationReason.superseded, null, Fixture.ACTOR)).kind());

            f.hallmark.revoker().revoke(serials.get(0), RevocationReason.keyCompromise, null, Fixture.ACTOR);
            List<String> withDuplicate = new ArrayList<>(serials);
            withDuplicate.add(serials.get(1).toUpperCase());
            Revoker.BatchOutcome out = f.hallmark.revoker().revokeBatch(withDuplicate, RevocationReason.cessationOfOperation, null, Fixture.ACTOR);
            assertEquals(4, out.revoked().size());
            assertEquals(List.of(serials.get(0)), out.alreadyRevoked());
            for (String s : serials.subList(1, 5)) assertEquals(RevocationReason.cessationOfOperation, find(f.hallmark, s).revocation().reason());
            assertEquals(RevocationReason.keyCompromise, find(f.hallmark, serials.get(0)).revocation().reason(), "the first revocation stands");
            assertEquals(seqBefore + 5, (long) f.hallmark.store().inTransaction(tx -> tx.certificates().revocationSequence()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void crlNumbersOnlyGoUpWhicheverNodeSigns(String db) throws Exception {
        try (Fixture f = Fixture.of(db, dir)) {
            f.publish(Map.of("ldevid-ca", 2));
            CertificateRecord c = f.ldevid("c", "C-1");
            f.hallmark.revoker().revoke(c.serial(), RevocationReason.keyCompromise, null, Fixture.ACTOR);
            // Deltas need a base: one complete CRL of each scope first.
            f.hallmark.crls().generate("ldevid-ca", false, null);
            f.hallmark.crls().generate("ldevid-ca", false, c.crlPartition());
            List<Hallmark> nodes = new ArrayList<>(List.of(f.hallmark));
            if (db.equals("postgresql")) nodes.add(f.secondNode()); // SQLite is one embedded node by design
            ConcurrentLinkedQueue<GeneratedCrl> signed = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    Hallmark node = nodes.get(i % nodes.size());
                    int k = i;
                    runs.add(pool.submit(() -> signed.add(node.crls().generate("ldevid-ca", k % 3 == 2, k % 4 == 3 ? c.crlPartition() : null))));
                }
                for (Future<?> r : runs) r.get();
            } finally {
                pool.shutdown();
                for (Hallmark n : nodes) if (n != f.hallmark) n.close();
            }
            List<Long> numbers = signed.stream().map(GeneratedCrl::number).sorted().toList();
            assertEquals(numbers.stream().distinct().count(), numbers.size(), "no number is used twice: " + numbers);
            // Each complete CRL lists the revocation; higher numbers never cover less of the revocation sequence.
            List<GeneratedCrl> byNumber = signed.stream().sorted(java.util.Comparator.comparingLong(GeneratedCrl::number)).toList();
            for (int i = 1; i < byNumber.size(); i++) assertTrue(byNumber.get(i).seq() >= byNumber.get(i - 1).seq());
            signed.stream().filter(g -> !g.delta()).forEach(g -> assertEquals(1, g.entries(), g.fileName()));
            var base = f.hallmark.store().inTransaction(tx -> tx.crls().base("ldevid-ca", -1)).orElseThrow();
            assertEquals(signed.stream().filter(g -> !g.delta() && g.partition() == null).mapToLong(GeneratedCrl::number).max().orElseThrow(), base.number());
            assertNotNull(base.thisUpdate());
        }
    }

    private static boolean isBlocked(Hallmark h, String device) {
        return h.store().inTransaction(tx -> tx.devices().isBlocked(device));
    }

    private static CertificateRecord find(Hallmark h, String serial) {
        return h.store().inTransaction(tx -> tx.certificates().find(serial)).orElseThrow();
    }
}
