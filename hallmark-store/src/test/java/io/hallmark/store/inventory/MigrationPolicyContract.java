package io.hallmark.store.inventory;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.DeviceRecord;
import io.hallmark.core.store.MigrationPolicyRecord;
import io.hallmark.core.store.MigrationPolicyRepository.MigrationProgress;
import io.hallmark.core.store.MigrationPolicyRepository.MigrationScope;
import io.hallmark.core.store.NewIdentity;
import io.hallmark.core.store.Revocation;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.core.store.Store;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Key migration policies (V14) on every database: append-only history, the config sequence, progress counts. */
abstract class MigrationPolicyContract {

    abstract Store newStore();

    abstract String jdbcUrl();

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private static MigrationPolicyRecord policy(String kind, String value, String toCa, String algorithm) {
        return new MigrationPolicyRecord(0, kind, value, toCa, null, algorithm, 3600, NOW, "cli:test", null, null);
    }

    @Test
    void policiesAreAppendedRemovedByARecordAndMoveTheConfigSequence() throws SQLException {
        try (Store s = newStore()) {
            long before = s.<Long>read(tx -> tx.config().sequence());
            long first = s.<Long>inTransaction(tx -> tx.migrationPolicies().append(policy("label", "plant-a", "ldevid-p384", "ec-p384")));
            long second = s.<Long>inTransaction(tx -> tx.migrationPolicies().append(policy("devices", "[\"d1\",\"d2\"]", "ldevid-p384", "ed25519")));
            assertEquals(first + 1, second);
            assertEquals(before + 2, (long) s.<Long>read(tx -> tx.config().sequence()), "every change moves the configuration sequence");

            assertTrue(s.<Boolean>inTransaction(tx -> tx.migrationPolicies().remove(first, NOW.plusSeconds(5), "cli:bob")));
            assertFalse(s.<Boolean>inTransaction(tx -> tx.migrationPolicies().remove(first, NOW.plusSeconds(6), "cli:bob")), "removed once");
            assertFalse(s.<Boolean>inTransaction(tx -> tx.migrationPolicies().remove(999, NOW, "cli:bob")), "no such policy");
            assertEquals(before + 3, (long) s.<Long>read(tx -> tx.config().sequence()));

            List<MigrationPolicyRecord> all = s.read(tx -> tx.migrationPolicies().all());
            assertEquals(2, all.size());
            MigrationPolicyRecord removed = all.getFirst();
            assertEquals("plant-a", removed.groupValue());
            assertEquals(NOW.plusSeconds(5), removed.removedAt());
            assertEquals("cli:bob", removed.removedBy());
            MigrationPolicyRecord kept = all.get(1);
            assertEquals("[\"d1\",\"d2\"]", kept.groupValue());
            assertEquals("ed25519", kept.toAlgorithm());
            assertEquals(3600, kept.graceSeconds());
            assertNull(kept.removedAt());
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement st = c.createStatement()) {
            for (String sql : List.of("UPDATE migration_policies SET to_algorithm = 'rsa-2048'", "DELETE FROM migration_policies",
                    "UPDATE migration_policy_removals SET actor = 'x'", "DELETE FROM migration_policy_removals")) {
                assertThrows(SQLException.class, () -> st.executeUpdate(sql), sql);
            }
        }
    }

    private static CertificateRecord cert(String serial, String ca, String profile, String device, KeyAlgorithm algorithm, Instant notAfter) {
        return new CertificateRecord(serial, ca, profile, device, "CN=" + serial, "k".repeat(64), "f".repeat(64), NOW.minus(Duration.ofDays(30)),
                notAfter, NOW.minusSeconds(100), CertificateDers.of(algorithm, serial), null, null);
    }

    /**
     * d1 moved: its P-256 LDevID from ldevid-ca superseded, a P-384 one from ldevid-p384. d2 has not: a current P-256 LDevID.
     * d3 has only an IDevID; d4 only an expired LDevID; d5 a P-384 LDevID from ldevid-p384 but never one from ldevid-ca.
     */
    @Test
    void progressCountsDevicesOnTheTargetAndThoseLeft() {
        Instant later = NOW.plus(Duration.ofDays(300));
        try (Store s = newStore()) {
            s.run(tx -> {
                for (String ca : List.of("idevid-ca", "ldevid-ca", "ldevid-p384")) {
                    tx.cas().insert(new CertificateAuthority(ca, null, KeyAlgorithm.EC_P256, "soft:" + ca, new byte[]{1}, 0, List.of("idevid", "ldevid"), NOW));
                }
                tx.issuance().record(List.of(new NewIdentity(cert("a3", "idevid-ca", "idevid", "d3", KeyAlgorithm.EC_P256, later),
                        new DeviceRecord("d3", NOW.minusSeconds(1000), null, null), true, "line-1", "software")));
                tx.certificates().insert(cert("b1", "ldevid-ca", "ldevid", "d1", KeyAlgorithm.EC_P256, later));
                tx.certificates().insert(cert("c1", "ldevid-p384", "ldevid", "d1", KeyAlgorithm.EC_P384, later));
                tx.certificates().revoke("b1", new Revocation(RevocationReason.superseded, NOW.minusSeconds(50), null));
                tx.certificates().insert(cert("b2", "ldevid-ca", "ldevid", "d2", KeyAlgorithm.EC_P256, later));
                tx.certificates().insert(cert("b4", "ldevid-ca", "ldevid", "d4", KeyAlgorithm.EC_P256, NOW.minusSeconds(10)));
                tx.certificates().insert(cert("c5", "ldevid-p384", "ldevid", "d5", KeyAlgorithm.EC_P384, later));
            });
            MigrationScope target = new MigrationScope("ldevid-p384", "ldevid", null, "ec-p384");
            assertEquals(new MigrationProgress(1, 1), progress(s, new MigrationScope("ldevid-ca", "ldevid", null, null), target));
            assertEquals(new MigrationProgress(2, 1), progress(s, new MigrationScope(null, "ldevid", null, null), target),
                    "by profile, d5's certificate from ldevid-p384 is in the group too, and on the target");
            assertEquals(new MigrationProgress(1, 0), progress(s, new MigrationScope("ldevid-ca", "ldevid", List.of("d1", "d5"), null),
                    new MigrationScope("ldevid-p384", "ldevid", List.of("d1", "d5"), "ec-p384")), "d5 never had a certificate from ldevid-ca");
            assertEquals(new MigrationProgress(0, 1), progress(s, new MigrationScope("ldevid-ca", "ldevid", List.of("d2", "d3"), null),
                    new MigrationScope("ldevid-p384", "ldevid", List.of("d2", "d3"), "ec-p384")));
            assertEquals(new MigrationProgress(0, 1), progress(s, new MigrationScope("ldevid-ca", "ldevid", null, null),
                    new MigrationScope("ldevid-p384", "ldevid", null, "ed25519")), "nobody is on ed25519; d2 holds a current certificate of the group");
            assertEquals(new MigrationProgress(0, 0), progress(s, new MigrationScope(null, null, List.of(), null), target));
            // With the policy begun before c5 was issued, d5 enrolled straight onto the target under it: moved too.
            assertEquals(new MigrationProgress(2, 1), s.read(tx -> tx.migrationPolicies().progress(new MigrationScope("ldevid-ca", "ldevid", null, null),
                    target, NOW.minusSeconds(1000), NOW)));
        }
    }

    private static MigrationProgress progress(Store s, MigrationScope source, MigrationScope target) {
        return s.read(tx -> tx.migrationPolicies().progress(source, target, NOW, NOW));
    }
}
