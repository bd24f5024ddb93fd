package io.hallmark.cli;

import io.hallmark.core.ca.CaSpec;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.enroll.KeyRouting.Decision;
import io.hallmark.core.enroll.Route;
import io.hallmark.core.migrate.DeviceGroup;
import io.hallmark.core.migrate.MigrationPolicies;
import io.hallmark.core.migrate.MigrationPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Which policy applies where several cover a request, what it decides for each key, and the grace period's end. */
class MigrationPolicyPrecedenceTest {

    @TempDir
    Path dir;

    @Test
    void theMostSpecificGroupAppliesAndTheKeyDecides() throws Exception {
        try (EstTestServer server = new EstTestServer(dir)) {
            List<CaSpec> cas = new ArrayList<>(HierarchySpec.defaults().cas());
            cas.add(new CaSpec("ldevid-p384", "root", "CN=P-384 CA", KeyAlgorithm.EC_P384, null, null, List.of("ldevid"), null));
            cas.add(new CaSpec("ldevid-ed", "root", "CN=Ed25519 CA", KeyAlgorithm.ED25519, null, null, List.of("ldevid"), null));
            server.hallmark.init(new HierarchySpec(cas, List.of()), "test");
            MigrationPolicies policies = server.hallmark.migrations();
            Route route = new Route("ldevid-ca", "ldevid");

            MigrationPolicy byCa = policies.set(new DeviceGroup.Ca("ldevid-ca"), "ldevid-p384", null, "ec-p384", Duration.ZERO, "test");
            MigrationPolicy byLabel = policies.set(new DeviceGroup.Label(""), "ldevid-ed", null, "ed25519", Duration.ZERO, "test");
            MigrationPolicy byDevices = policies.set(new DeviceGroup.Devices(List.of("D-1", "D-2")), "ldevid-p384", null, "ec-p384",
                    Duration.ofDays(1), "test");

            assertEquals(byDevices.id(), policies.applying("", "ldevid-ca", "ldevid", "D-1").orElseThrow().id(), "a device list first");
            assertEquals(byLabel.id(), policies.applying("", "ldevid-ca", "ldevid", "D-9").orElseThrow().id(), "then the label");
            assertEquals(byCa.id(), policies.applying("plant-b", "ldevid-ca", "ldevid", "D-9").orElseThrow().id(), "then the CA");
            assertTrue(policies.applying("plant-b", "other-ca", "ldevid", "D-9").isEmpty());

            assertEquals(new Decision.Move(new Route("ldevid-ed", "ldevid"), byLabel.id()), policies.decide("", route, "D-9", "ed25519"));
            Decision refused = policies.decide("", route, "D-9", "ec-p384");
            assertTrue(refused instanceof Decision.Refuse r && r.reason().contains("make an ed25519 key"), refused::toString);
            assertEquals(new Decision.Keep(), policies.decide("", route, "D-1", "ec-p256"), "D-1's policy has a grace period");
            assertEquals(new Decision.Move(new Route("ldevid-p384", "ldevid"), byDevices.id()), policies.decide("", route, "D-1", "ec-p384"));
            // Certificates of every target re-enroll on the default label; a device list covers any label.
            assertEquals(List.of(new Route("ldevid-p384", "ldevid"), new Route("ldevid-ed", "ldevid")), policies.targets("", route));
            assertEquals(List.of(new Route("ldevid-p384", "ldevid")), policies.targets("plant-b", new Route("other-ca", "ldevid")));

            // A newer policy for the same group replaces the older; its grace period runs out.
            MigrationPolicy shortGrace = policies.set(new DeviceGroup.Devices(List.of("D-2", "D-1")), "ldevid-p384", null, "ec-p384",
                    Duration.ofSeconds(1), "test");
            assertEquals(3, policies.active().size(), "the device list's older policy is superseded");
            assertEquals(shortGrace.id(), policies.applying("", "ldevid-ca", "ldevid", "D-2").orElseThrow().id());
            Thread.sleep(1100);
            assertTrue(policies.decide("", route, "D-1", "ec-p256") instanceof Decision.Refuse r && r.reason().contains("grace ended"));

            policies.remove(byLabel.id(), "test");
            assertEquals(byCa.id(), policies.applying("", "ldevid-ca", "ldevid", "D-9").orElseThrow().id(), "the CA's policy covers the label now");
        }
    }
}
