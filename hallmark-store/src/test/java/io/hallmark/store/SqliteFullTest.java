package io.hallmark.store;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The SQLite disk full, played without a small filesystem: SQLite's max_page_count caps the database the way a full disk
 * does and fails a write with the same SQLITE_FULL (a cap is per connection, so it is set on every pooled one). Issuing
 * until it is reached: the failure is UNAVAILABLE with a one-line reason (HTTP 503 with Retry-After), the transaction rolls
 * back whole, every certificate acknowledged before is stored and nothing else, the audit chain verifies, reads go on, and
 * once the room is back (the cap lifted on the same pool, as space freed on the disk) the same store issues again.
 */
class SqliteFullTest {

    /** SQLite's default max_page_count: in practice no cap. */
    private static final long NO_CAP = 4294967294L;

    @TempDir
    Path dir;

    @Test
    void aFullDatabaseFailsCleanlyLosesNothingAndServesAgainOnceThereIsRoom() throws Exception {
        KeyVaults vaults = new KeyVaults(new SoftwareKeyVault(dir.resolve("keys"), new Passphrase("test-passphrase".toCharArray(), "test", false)));
        try (Hallmark hallmark = new Hallmark(JdbcStore.open(dir, null), vaults, Clock.systemUTC())) {
            hallmark.init(HierarchySpec.defaults(), "test");
            Store store = hallmark.store();
            long pages = store.read(tx -> ((JdbcTx) tx).sql().one("PRAGMA page_count", rs -> rs.getLong(1)).orElseThrow());
            capEveryConnection(store, pages + 12);
            long certificatesBefore = store.read(tx -> tx.certificates().count());
            long auditBefore = hallmark.verifyAudit().entries();

            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            List<String> acknowledged = new ArrayList<>();
            HallmarkException full = null;
            for (int i = 0; i < 5_000 && full == null; i++) {
                try {
                    acknowledged.add(hallmark.issuer().issue(request(gen.generateKeyPair(), "FULL-" + i)).certificate().serial());
                } catch (HallmarkException e) {
                    full = e;
                }
            }
            if (full == null) fail("the capped database never filled");
            assertEquals(HallmarkException.Kind.UNAVAILABLE, full.kind(), full.getMessage());
            assertEquals(StoreException.FULL, full.getMessage());
            assertTrue(acknowledged.size() > 0, "some certificates fitted before the cap");
            for (int i = 0; i < 3; i++) {
                HallmarkException again = issueFails(hallmark, gen, "STILL-FULL-" + i);
                assertEquals(HallmarkException.Kind.UNAVAILABLE, again.kind(), "still full, still clean: " + again.getMessage());
            }

            // Nothing half-written: exactly the acknowledged certificates were added, each with its audit entry, and the
            // chain verifies; reads are served while the database is full.
            assertEquals(certificatesBefore + acknowledged.size(), (long) store.read(tx -> tx.certificates().count()));
            for (String serial : acknowledged) {
                assertTrue(store.read(tx -> tx.certificates().find(serial)).isPresent(), "acknowledged " + serial + " is stored");
            }
            var audit = hallmark.verifyAudit();
            assertTrue(audit.intact(), audit.problem());
            assertTrue(audit.entries() >= auditBefore + acknowledged.size(), "an audit entry per certificate");
            assertEquals("ok", store.read(tx -> ((JdbcTx) tx).sql().one("PRAGMA integrity_check", rs -> rs.getString(1)).orElseThrow()));

            // Room again, on the same pool and the same Hallmark: it issues again.
            capEveryConnection(store, NO_CAP);
            String after = hallmark.issuer().issue(request(gen.generateKeyPair(), "AFTER-1")).certificate().serial();
            assertTrue(store.read(tx -> tx.certificates().find(after)).isPresent());
            assertEquals(certificatesBefore + acknowledged.size() + 1, (long) store.read(tx -> tx.certificates().count()));
            assertTrue(hallmark.verifyAudit().intact());
        }
    }

    private static HallmarkException issueFails(Hallmark hallmark, KeyPairGenerator gen, String serialNumber) throws Exception {
        try {
            hallmark.issuer().issue(request(gen.generateKeyPair(), serialNumber));
        } catch (HallmarkException e) {
            return e;
        }
        throw new AssertionError("issued " + serialNumber + " into a full database");
    }

    private static IssuanceRequest request(KeyPair key, String serialNumber) throws Exception {
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=sensor"), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
        return new IssuanceRequest("idevid-ca", "idevid", csr, serialNumber, null, "test");
    }

    /**
     * Sets max_page_count on each of the pool's connections: as many transactions as the pool holds, each waiting for the
     * others, so every connection takes one (SQLite keeps the cap per connection, not in the file).
     */
    private static void capEveryConnection(Store store, long maxPages) throws Exception {
        int pool = 4; // JdbcStore's SQLite pool
        CyclicBarrier all = new CyclicBarrier(pool);
        ExecutorService threads = Executors.newFixedThreadPool(pool);
        try {
            List<Future<Long>> set = new ArrayList<>();
            for (int i = 0; i < pool; i++) {
                set.add(threads.submit(() -> store.read(tx -> {
                    long now = ((JdbcTx) tx).sql().one("PRAGMA max_page_count = " + maxPages, rs -> rs.getLong(1)).orElseThrow();
                    try {
                        all.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("the pool did not hand out " + pool + " connections at once", e);
                    }
                    return now;
                })));
            }
            for (Future<Long> f : set) {
                long now = f.get(20, TimeUnit.SECONDS);
                assertTrue(now <= maxPages, "cap set: " + now);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
