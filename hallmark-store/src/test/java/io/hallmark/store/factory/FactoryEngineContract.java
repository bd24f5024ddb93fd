package io.hallmark.store.factory;

import io.hallmark.core.Hallmark;
import io.hallmark.core.audit.AuditEntry;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.factory.BatchItem;
import io.hallmark.core.factory.BatchOutcome;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.FactoryBatch;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.FactoryResult;
import io.hallmark.core.factory.ItemSource;
import io.hallmark.core.factory.wire.Ndjson;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.station.StationSpec;
import io.hallmark.core.store.RevocationReason;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The factory engine against a real store; run for SQLite and PostgreSQL by the subclasses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FactoryEngineContract {

    private static final AtomicInteger RUN = new AtomicInteger();

    Hallmark hallmark;

    @AfterAll
    void closeStore() {
        if (hallmark != null) hallmark.close();
    }

    /** Device serials unique to one test, so tests share a store without seeing each other's devices. */
    static String prefix() {
        return "T" + System.nanoTime() % 1_000_000_000L + "-" + RUN.incrementAndGet() + "-";
    }

    static FactoryItem item(String serial, KeyPair keys) {
        return new FactoryItem(serial, Base64.getEncoder().encodeToString(csr(keys)), null, null, "secure-element");
    }

    static byte[] csr(KeyPair keys) {
        return Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=test device,O=Hallmark Test"));
    }

    List<FactoryResult> run(FactoryBatch batch, List<BatchItem> items) {
        List<FactoryResult> out = new ArrayList<>();
        Iterator<BatchItem> it = items.iterator();
        ItemSource source = () -> it.hasNext() ? it.next() : null;
        BatchProgress p = hallmark.factory().run(batch, source, o -> out.add(o.result()));
        assertEquals(items.size(), p.done());
        for (int i = 0; i < out.size(); i++) assertEquals(i, out.get(i).index(), "outcomes come back in input order");
        return out;
    }

    List<FactoryResult> run(List<FactoryItem> items) {
        return run(batch(), items.stream().map(BatchItem::of).toList());
    }

    static FactoryBatch batch() {
        return FactoryBatch.of("idevid-ca", "idevid", io.hallmark.core.authorize.Grant.operator("test")).withChunkSize(7).withWorkers(2);
    }

    @Test
    void sameDeviceSameCsrGetsTheStoredCertificateAndANewKeyIsRefused() {
        String device = prefix() + "A";
        KeyPair first = KeyAlgorithm.EC_P256.generate();
        long issuedBefore = hallmark.factory().issuedTotal();
        FactoryResult issued = run(List.of(item(device, first))).getFirst();
        assertEquals(FactoryResult.ISSUED, issued.status(), String.valueOf(issued.error()));
        assertEquals(issuedBefore + 1, hallmark.factory().issuedTotal(), "the factory throughput counter counts what was issued");
        List<io.hallmark.core.store.Event> progress = new java.util.ArrayList<>();
        hallmark.store().run(tx -> tx.events().scan(null, io.hallmark.core.store.EventType.FACTORY, null, 1, progress::add));
        assertEquals(1, progress.getFirst().count(), "one progress event per committed chunk, with its count");

        FactoryResult again = run(List.of(item(device, first))).getFirst();
        assertEquals(FactoryResult.EXISTING, again.status());
        assertEquals(issued.serial(), again.serial());
        assertEquals(issued.certificate(), again.certificate());

        FactoryResult otherKey = run(List.of(item(device, KeyAlgorithm.EC_P256.generate()))).getFirst();
        assertEquals(FactoryResult.ERROR, otherKey.status());
        assertEquals("CONFLICT", otherKey.errorKind());
        assertTrue(otherKey.error().contains("already has an idevid certificate (serial " + issued.serial() + ") for a different key"), otherKey.error());

        // Single issuance shares the same binding: same key replays the factory's certificate, another key is refused.
        var single = hallmark.issuer().issue(new IssuanceRequest("idevid-ca", "idevid", csr(first), device, null, "test"));
        assertTrue(single.replayed());
        assertEquals(issued.serial(), single.certificate().serial());
        HallmarkException e = assertThrows(HallmarkException.class, () -> hallmark.issuer().issue(
                new IssuanceRequest("idevid-ca", "idevid", csr(KeyAlgorithm.EC_P256.generate()), device, null, "test")));
        assertEquals(HallmarkException.Kind.CONFLICT, e.kind());
    }

    /**
     * Single issuance and a factory batch share one record step: a grant that covers nothing refuses both the
     * same way, inside the transaction, and neither leaves a certificate, a binding or an audit entry behind.
     */
    @Test
    void aGrantThatCoversNothingRefusesBothPathsAlikeAndRecordsNothing() {
        io.hallmark.core.issue.Confirmation spent = new io.hallmark.core.issue.Confirmation() {
            @Override
            public int confirm(io.hallmark.core.store.Tx tx, int fresh) {
                return 0;
            }

            @Override
            public HallmarkException exhausted(String deviceId) {
                return HallmarkException.forbidden("grant spent; nothing for " + deviceId);
            }
        };
        String single = prefix() + "S";
        String batched = prefix() + "B";
        String auditHead = hallmark.store().read(tx -> tx.audit().head()).map(Object::toString).orElse("");

        HallmarkException e = assertThrows(HallmarkException.class, () -> hallmark.issuer().issue(new IssuanceRequest("idevid-ca", "idevid",
                csr(KeyAlgorithm.EC_P256.generate()), single, null, "test", List.of(), spent)));
        assertEquals(HallmarkException.Kind.FORBIDDEN, e.kind());
        assertEquals("grant spent; nothing for " + single, e.getMessage());

        FactoryBatch covered = FactoryBatch.of("idevid-ca", "idevid", new io.hallmark.core.authorize.Grant(null, null, null, "test", null, spent));
        FactoryResult r = run(covered, List.of(BatchItem.of(item(batched, KeyAlgorithm.EC_P256.generate())))).getFirst();
        assertEquals("FORBIDDEN", r.errorKind());
        assertEquals("grant spent; nothing for " + batched, r.error());

        for (String device : List.of(single, batched)) {
            assertTrue(hallmark.store().read(tx -> tx.devices().identity(device, "idevid")).isEmpty(), device + " was bound");
            assertTrue(hallmark.store().read(tx -> tx.devices().find(device)).isEmpty(), device + " was recorded");
        }
        assertEquals(auditHead, hallmark.store().read(tx -> tx.audit().head()).map(Object::toString).orElse(""), "nothing was audited");
    }

    @Test
    void badItemsCarryTheirErrorsAndTheRestIsIssued() throws Exception {
        String p = prefix();
        byte[] good = csr(KeyAlgorithm.EC_P256.generate());
        byte[] broken = good.clone();
        broken[broken.length - 3] ^= 0x01; // inside the signature's last INTEGER
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        byte[] weak = Csrs.create(rsa.generateKeyPair(), KeyAlgorithm.RSA_2048, new X500Name("CN=weak"));
        List<BatchItem> items = List.of(
                BatchItem.of(item(p + "1", KeyAlgorithm.EC_P256.generate())),
                BatchItem.of(new FactoryItem(p + "2", Base64.getEncoder().encodeToString("not a CSR at all".getBytes()), null, null, null)),
                BatchItem.of(new FactoryItem(p + "3", Base64.getEncoder().encodeToString(weak), null, null, null)),
                BatchItem.of(new FactoryItem(p + "4", Base64.getEncoder().encodeToString(broken), null, null, null)),
                BatchItem.unreadable("line 5 is not a factory item"),
                BatchItem.of(new FactoryItem(null, Base64.getEncoder().encodeToString(good), null, null, null)),
                BatchItem.of(new FactoryItem(p + "7", Pem.encode("CERTIFICATE REQUEST", good), null, null, "in-a-drawer")),
                BatchItem.of(new FactoryItem(p + "8", Pem.encode("CERTIFICATE REQUEST", good), "2.25.1234", "0a0b", "tpm")));
        List<FactoryResult> r = run(batch(), items);

        assertEquals(FactoryResult.ISSUED, r.get(0).status());
        assertError(r.get(1), "not a PKCS#10 certificate request");
        assertError(r.get(2), "RSA key of 1024 bits is too weak");
        assertError(r.get(3), "CSR signature does not verify");
        assertError(r.get(4), "line 5 is not a factory item");
        assertError(r.get(5), "item has no deviceSerial");
        assertError(r.get(6), "keyStorage 'in-a-drawer' is not one of");
        assertEquals(FactoryResult.ISSUED, r.get(7).status(), String.valueOf(r.get(7).error()));

        // Issued certificates are signed by the CA and name the device.
        var ca = hallmark.cas().get("idevid-ca").x509();
        for (FactoryResult ok : List.of(r.get(0), r.get(7))) {
            var cert = Pem.x509(Pem.derOf(ok.certificate().getBytes(StandardCharsets.US_ASCII), "CERTIFICATE"));
            cert.verify(ca.getPublicKey());
            assertTrue(cert.getSubjectX500Principal().getName().contains("SERIALNUMBER=" + ok.deviceSerial())
                    || cert.getSubjectX500Principal().getName().contains("2.5.4.5=#"), cert.getSubjectX500Principal().getName());
        }
        var stored = hallmark.store().inTransaction(tx -> tx.devices().find(p + "8")).orElseThrow();
        assertEquals("2.25.1234", stored.hwType());
        for (String failed : List.of("2", "3", "4", "7")) {
            assertTrue(hallmark.store().inTransaction(tx -> tx.devices().identity(p + failed, "idevid")).isEmpty(), "nothing stored for a refused item");
        }
    }

    private static void assertError(FactoryResult r, String message) {
        assertEquals(FactoryResult.ERROR, r.status(), r.toString());
        assertEquals("BAD_INPUT", r.errorKind());
        assertTrue(r.error().contains(message), r.error());
    }

    @Test
    void aDeviceTwiceInOneBatchGetsOneIdentity() {
        String p = prefix();
        KeyPair k = KeyAlgorithm.EC_P256.generate();
        List<FactoryResult> r = run(List.of(item(p + "X", k), item(p + "X", k), item(p + "X", KeyAlgorithm.EC_P256.generate())));
        assertEquals(FactoryResult.ISSUED, r.get(0).status());
        assertEquals(FactoryResult.EXISTING, r.get(1).status());
        assertEquals(r.get(0).serial(), r.get(1).serial());
        assertEquals("CONFLICT", r.get(2).errorKind());
    }

    @Test
    void stationsAreHeldToTheirRightsAndQuota() {
        String name = "st" + String.format("%010d", Math.floorMod(System.nanoTime(), 10_000_000_000L)); // 12 characters, unique per run
        var creds = hallmark.stations().create(new StationSpec(name, "Plant 1", "sensor", List.of("idevid-ca"), List.of("idevid"),
                3L, null, null, null), null, "test");
        assertNotNull(creds.privateKeyPem());
        String fingerprint = creds.station().certFingerprint();
        assertEquals(name, hallmark.stations().authorize(fingerprint, "idevid-ca", "idevid").name());
        assertForbidden(() -> hallmark.stations().authorize(name, "idevid-ca", "ldevid"), "may not request profile ldevid");
        assertForbidden(() -> hallmark.stations().authorize(name, "ldevid-ca", "idevid"), "may not use CA ldevid-ca");
        assertForbidden(() -> hallmark.stations().authorize("0".repeat(64), "idevid-ca", "idevid"), "no station is registered");

        String p = prefix();
        List<FactoryItem> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) items.add(item(p + i, KeyAlgorithm.EC_P256.generate()));
        FactoryBatch asStation = FactoryBatch.of("idevid-ca", "idevid", stationGrant("idevid-ca", "idevid", name)).withChunkSize(2);
        List<FactoryResult> r = run(asStation, items.stream().map(BatchItem::of).toList());
        assertEquals(3, r.stream().filter(x -> x.status().equals(FactoryResult.ISSUED)).count());
        assertEquals(List.of("FORBIDDEN", "FORBIDDEN"), r.subList(3, 5).stream().map(FactoryResult::errorKind).toList());
        assertEquals(3, hallmark.stations().get(name).issued());
        // Who provisioned each identity, and where its key is, as the items said, are recorded with it.
        var provenance = hallmark.store().read(tx -> tx.issuance().provenance(r.stream().map(FactoryResult::serial).filter(java.util.Objects::nonNull).toList()));
        assertEquals(3, provenance.size());
        for (FactoryResult issued : r.subList(0, 3)) {
            assertEquals(new io.hallmark.core.store.IdentityProvenance(name, "secure-element"), provenance.get(issued.serial()));
        }

        // Replays cost no quota; the refused ones stay refused.
        List<FactoryResult> again = run(asStation, items.stream().map(BatchItem::of).toList());
        assertEquals(List.of("existing", "existing", "existing", "error", "error"), again.stream().map(FactoryResult::status).toList());
        assertEquals(3, hallmark.stations().get(name).issued());

        HallmarkException e = assertThrows(HallmarkException.class, () -> hallmark.factory().run(
                FactoryBatch.of("idevid-ca", "ldevid", stationGrant("idevid-ca", "ldevid", name)), () -> null, o -> { }));
        assertEquals(HallmarkException.Kind.FORBIDDEN, e.kind());
        // The station's certificate revoked: it may do nothing more.
        hallmark.store().run(tx -> tx.certificates().revoke(creds.station().certSerial(),
                new io.hallmark.core.store.Revocation(RevocationReason.keyCompromise, java.time.Instant.now(), null)));
        assertForbidden(() -> hallmark.stations().authorize(fingerprint, "idevid-ca", "idevid"), "is revoked");
    }

    /** A station's grant, as a local run with --station asks for it. */
    private io.hallmark.core.authorize.Grant stationGrant(String ca, String profile, String station) {
        return hallmark.factory().authorize(ca, profile, List.of(new io.hallmark.core.authorize.Evidence.StationName(station)));
    }

    @Test
    void aStationRevokedDuringItsBatchStopsAtTheNextChunk() {
        String name = "rv" + String.format("%010d", Math.floorMod(System.nanoTime(), 10_000_000_000L));
        var creds = hallmark.stations().create(new StationSpec(name, null, null, List.of("idevid-ca"), List.of("idevid"),
                null, null, null, null), null, "test");
        String p = prefix();
        int total = 12;
        List<FactoryItem> items = new ArrayList<>();
        for (int i = 0; i < total; i++) items.add(item(p + i, KeyAlgorithm.EC_P256.generate()));
        Iterator<FactoryItem> it = items.iterator();
        int[] read = {0};
        // The station's certificate is revoked once the batch has read half its items, as an operator would
        // revoke a stolen station while it streams.
        ItemSource source = () -> {
            if (read[0] == total / 2) {
                hallmark.revoker().revoke(creds.station().certSerial(), RevocationReason.keyCompromise, null, "test");
            }
            if (!it.hasNext()) return null;
            read[0]++;
            return BatchItem.of(it.next());
        };
        List<FactoryResult> out = new ArrayList<>();
        HallmarkException e = assertThrows(HallmarkException.class, () -> hallmark.factory().run(
                FactoryBatch.of("idevid-ca", "idevid", stationGrant("idevid-ca", "idevid", name)).withChunkSize(2), source, o -> out.add(o.result())));
        assertEquals(HallmarkException.Kind.FORBIDDEN, e.kind());
        assertTrue(e.getMessage().contains("is revoked"), e.getMessage());
        long issued = items.stream().filter(i -> hallmark.store().read(tx -> tx.devices().identity(i.deviceSerial(), "idevid")).isPresent()).count();
        assertTrue(issued <= total / 2, issued + " issued: nothing read after the revocation was issued");
        assertEquals(issued, out.stream().filter(r -> r.status().equals(FactoryResult.ISSUED)).count(), "every issued certificate was answered");
    }

    /**
     * Every batch is recorded: its start, a progress row per committed chunk (in the chunk's transaction, so its counts
     * are what was committed), and its end; a batch stopped by an error reads as failed with the reason.
     */
    @Test
    void batchesAndTheirProgressAreRecordedChunkByChunk() {
        String p = prefix();
        KeyPair reused = KeyAlgorithm.EC_P256.generate();
        run(List.of(item(p + "0", reused)));
        List<BatchItem> items = new ArrayList<>();
        items.add(BatchItem.of(item(p + "0", reused)));                               // existing
        for (int i = 1; i < 9; i++) items.add(BatchItem.of(item(p + i, KeyAlgorithm.EC_P256.generate())));
        items.add(BatchItem.unreadable("line 10 is not a factory item"));              // refused by the workers
        items.add(BatchItem.of(item(p + "1", KeyAlgorithm.EC_P256.generate())));     // refused in the transaction
        String[] announced = {null};
        List<io.hallmark.core.factory.BatchStatus> seen = new ArrayList<>();
        Iterator<BatchItem> it = items.iterator();
        hallmark.factory().run(batch().withChunkSize(4).withDeclared(11L), () -> it.hasNext() ? it.next() : null,
                new io.hallmark.core.factory.ResultSink() {
                    @Override
                    public void started(String batchId) {
                        announced[0] = batchId;
                    }

                    @Override
                    public void accept(BatchOutcome outcome) {
                    }

                    @Override
                    public void chunkDone(BatchProgress progress) {
                        // By the time a chunk reaches the sink, its progress row is committed.
                        var status = hallmark.factoryBatches().get(announced[0]);
                        assertEquals(progress.done(), status.done(), "the recorded progress follows each committed chunk");
                        seen.add(status);
                    }
                });
        assertEquals(List.of(4L, 8L, 11L), seen.stream().map(io.hallmark.core.factory.BatchStatus::done).toList());
        assertTrue(seen.stream().allMatch(io.hallmark.core.factory.BatchStatus::running), seen.toString());
        var done = hallmark.factoryBatches().get(announced[0]);
        assertEquals("done", done.state());
        assertEquals(List.of(11L, 8L, 1L, 2L, 3L), List.of(done.done(), done.issued(), done.existing(), done.failed(), done.chunks()));
        assertEquals(11L, done.declared());
        assertEquals("idevid-ca", done.ca());
        assertEquals("test", done.actor());
        assertNotNull(done.endedAt());

        // The newest first, a page at a time.
        var first = hallmark.factoryBatches().page(null, 1);
        assertEquals(announced[0], first.batches().getFirst().id());
        assertNotNull(first.next());
        var second = hallmark.factoryBatches().page(first.next(), 1);
        assertNotEquals(announced[0], second.batches().getFirst().id());
        assertThrows(HallmarkException.class, () -> hallmark.factoryBatches().page("not-a-cursor", 1));

        // A batch stopped by its sink failing is recorded as failed, with what it had committed.
        String[] failedId = {null};
        Iterator<BatchItem> more = List.of(BatchItem.of(item(p + "F", KeyAlgorithm.EC_P256.generate()))).iterator();
        assertThrows(HallmarkException.class, () -> hallmark.factory().run(batch(), () -> more.hasNext() ? more.next() : null,
                new io.hallmark.core.factory.ResultSink() {
                    @Override
                    public void started(String batchId) {
                        failedId[0] = batchId;
                    }

                    @Override
                    public void accept(BatchOutcome outcome) {
                        throw new IllegalStateException("the station went away");
                    }
                }));
        var failed = hallmark.factoryBatches().get(failedId[0]);
        assertEquals("failed", failed.state());
        assertEquals(1, failed.done());
        assertTrue(failed.error().contains("the station went away"), failed.error());
        // History: the database refuses to rewrite a batch's rows.
        assertThrows(RuntimeException.class, () -> hallmark.store().run(tx -> tx.factoryBatches().end(failedId[0], java.time.Instant.now(), false, null)));
    }

    /** Disabling a station stops its running batch at the next chunk, which records the batch failed with the reason. */
    @Test
    void aStationDisabledDuringItsBatchStopsAndTheBatchReadsFailed() {
        String name = "ds" + String.format("%010d", Math.floorMod(System.nanoTime(), 10_000_000_000L));
        hallmark.stations().create(new StationSpec(name, null, null, List.of("idevid-ca"), List.of("idevid"), null, null, null, null), null, "test");
        String p = prefix();
        int total = 8;
        int[] read = {0};
        String[] id = {null};
        ItemSource source = () -> {
            if (read[0] == total / 2) hallmark.stations().disable(name, "test");
            if (read[0] == total) return null;
            return BatchItem.of(item(p + read[0]++, KeyAlgorithm.EC_P256.generate()));
        };
        HallmarkException e = assertThrows(HallmarkException.class, () -> hallmark.factory().run(
                FactoryBatch.of("idevid-ca", "idevid", stationGrant("idevid-ca", "idevid", name)).withChunkSize(2), source,
                new io.hallmark.core.factory.ResultSink() {
                    @Override
                    public void started(String batchId) {
                        id[0] = batchId;
                    }

                    @Override
                    public void accept(BatchOutcome outcome) {
                    }
                }));
        assertEquals(HallmarkException.Kind.FORBIDDEN, e.kind());
        var batch = hallmark.factoryBatches().get(id[0]);
        assertEquals("failed", batch.state());
        assertTrue(batch.error().contains("is disabled"), batch.error());
        assertEquals("station:" + name, batch.actor());
        assertTrue(batch.done() <= total / 2, batch.toString());
        assertEquals(batch.issued(), hallmark.stations().get(name).issued(), "what the batch counts is what the station spent");
        hallmark.stations().enable(name, "test");
        assertEquals(name, hallmark.stations().authorize(name, "idevid-ca", "idevid").name());
    }

    private static void assertForbidden(org.junit.jupiter.api.function.Executable call, String message) {
        HallmarkException e = assertThrows(HallmarkException.class, call);
        assertEquals(HallmarkException.Kind.FORBIDDEN, e.kind());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void racingBatchesNeverGiveADeviceTwoIdentities() throws Exception {
        String p = prefix();
        int devices = 300;
        List<List<BatchItem>> batches = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            List<BatchItem> items = new ArrayList<>();
            for (int i = 0; i < devices; i++) items.add(BatchItem.of(item(p + i, KeyAlgorithm.EC_P256.generate())));
            batches.add(items);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<List<FactoryResult>>> futures = new ArrayList<>();
        for (List<BatchItem> items : batches) {
            Callable<List<FactoryResult>> task = () -> run(batch().withChunkSize(25), items);
            futures.add(pool.submit(task));
        }
        List<FactoryResult> a = futures.get(0).get(), b = futures.get(1).get();
        pool.shutdown();
        for (int i = 0; i < devices; i++) {
            Set<String> statuses = new HashSet<>(List.of(a.get(i).status(), b.get(i).status()));
            assertEquals(Set.of(FactoryResult.ISSUED, FactoryResult.ERROR), statuses, "device " + i + ": exactly one batch wins");
            FactoryResult loser = a.get(i).ok() ? b.get(i) : a.get(i);
            assertEquals("CONFLICT", loser.errorKind());
            String device = p + i;
            assertEquals(1, hallmark.store().inTransaction(tx -> tx.certificates().find(
                    new io.hallmark.core.store.CertificateQuery(device, null, null, null, 10))).size());
        }
    }

    @Test
    void oneAuditEntryPerCommittedChunkListsItsSerials() {
        String p = prefix();
        List<FactoryItem> items = new ArrayList<>();
        for (int i = 0; i < 30; i++) items.add(item(p + i, KeyAlgorithm.EC_P256.generate()));
        List<FactoryResult> r = run(batch().withChunkSize(12), items.stream().map(BatchItem::of).toList());
        Set<String> serials = new HashSet<>();
        r.forEach(x -> serials.add(x.serial()));
        List<AuditEntry> chunks = new ArrayList<>();
        hallmark.store().run(tx -> tx.audit().scan(e -> {
            if (e.action().equals("factory.issue") && serials.stream().anyMatch(e.details()::contains)) chunks.add(e);
        }));
        assertEquals(3, chunks.size(), "30 items in chunks of 12");
        Set<String> listed = new HashSet<>();
        for (AuditEntry e : chunks) {
            String list = e.details().replaceAll(".*\"serials\":\"([0-9a-f ]*)\".*", "$1");
            listed.addAll(List.of(list.split(" ")));
        }
        assertEquals(serials, listed);
        assertTrue(hallmark.verifyAudit().intact());
    }

    @Test
    void reprovisioningRevokesAndReleasesTheIdentity() {
        String device = prefix() + "R";
        FactoryResult first = run(List.of(item(device, KeyAlgorithm.EC_P256.generate()))).getFirst();
        String revoked = hallmark.factory().reprovision(device, "idevid", "secure element replaced", RevocationReason.superseded, "test");
        assertEquals(first.serial(), revoked);
        assertNotNull(hallmark.store().inTransaction(tx -> tx.certificates().find(revoked)).orElseThrow().revocation());
        FactoryResult second = run(List.of(item(device, KeyAlgorithm.EC_P256.generate()))).getFirst();
        assertEquals(FactoryResult.ISSUED, second.status(), String.valueOf(second.error()));
        assertNotEquals(first.serial(), second.serial());
        // The released identity's provenance goes with its binding; the new one has its own (no station: the operator's batch).
        var provenance = hallmark.store().read(tx -> tx.issuance().provenance(List.of(first.serial(), second.serial())));
        assertEquals(java.util.Map.of(second.serial(), new io.hallmark.core.store.IdentityProvenance(null, "secure-element")), provenance);
        HallmarkException e = assertThrows(HallmarkException.class,
                () -> hallmark.factory().reprovision(device, "idevid", " ", RevocationReason.superseded, "test"));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
    }

    @Test
    void ndjsonInAndOut() throws Exception {
        String p = prefix();
        String body = Ndjson.toJson(item(p + "1", KeyAlgorithm.EC_P256.generate())) + "\n\n{\"deviceSerial\":\"x\",\"bogus\":1}\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var sink = Ndjson.results(out);
        hallmark.factory().run(batch(), Ndjson.items(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))), sink);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].contains("\"status\":\"issued\""), lines[0]);
        assertTrue(lines[1].contains("\"status\":\"error\"") && lines[1].contains("line 3 is not a factory item"), lines[1]);
    }

    /**
     * A station on a slow line sends a few devices and waits for their certificates before sending more:
     * the engine must answer them without waiting for a full chunk (here 1000) or the end of the input.
     */
    @Test
    void aPausedInputGetsItsAnswersBeforeTheChunkIsFull() throws Exception {
        String p = prefix();
        List<BatchItem> first = List.of(BatchItem.of(item(p + "1", KeyAlgorithm.EC_P256.generate())),
                BatchItem.of(item(p + "2", KeyAlgorithm.EC_P256.generate())), BatchItem.of(item(p + "3", KeyAlgorithm.EC_P256.generate())));
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(3);
        java.util.concurrent.atomic.AtomicBoolean answeredWhilePaused = new java.util.concurrent.atomic.AtomicBoolean();
        Iterator<BatchItem> it = first.iterator();
        BatchItem last = BatchItem.of(item(p + "4", KeyAlgorithm.EC_P256.generate()));
        ItemSource source = new ItemSource() {
            boolean lastSent;

            @Override
            public BatchItem next() throws Exception {
                if (it.hasNext()) return it.next();
                if (!lastSent) {
                    // Like a station waiting for its answers before sending the next device.
                    answeredWhilePaused.set(answered.await(20, java.util.concurrent.TimeUnit.SECONDS));
                    lastSent = true;
                    return last;
                }
                return null;
            }
        };
        List<FactoryResult> out = new java.util.concurrent.CopyOnWriteArrayList<>();
        BatchProgress done = hallmark.factory().run(batch().withChunkSize(1000), source, o -> {
            out.add(o.result());
            answered.countDown();
        });
        assertTrue(answeredWhilePaused.get(), "the first three devices were answered while the input paused");
        assertEquals(4, done.issued());
        assertEquals(List.of(p + "1", p + "2", p + "3", p + "4"), out.stream().map(FactoryResult::deviceSerial).toList());
    }

    /** Guards the test's own broken-signature CSR: it must really fail to verify, not fail to parse. */
    @Test
    void brokenSignatureFixtureIsWellFormed() throws Exception {
        KeyPair k = KeyAlgorithm.EC_P256.generate();
        var req = new org.bouncycastle.pkcs.PKCS10CertificationRequest(csr(k));
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initVerify(k.getPublic());
        s.update(req.toASN1Structure().getCertificationRequestInfo().getEncoded("DER"));
        assertTrue(s.verify(req.getSignature()));
    }

    @SuppressWarnings("unused")
    private static void unused(BatchOutcome o) {
    }
}
