package io.hallmark.server;

import io.hallmark.core.ca.CaSpec;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.enroll.EnrollmentLabel;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.ProfileKind;
import io.hallmark.core.profile.Validity;
import io.hallmark.server.est.EstLabels;
import io.hallmark.testing.Peers;
import io.hallmark.testing.TestPostgres;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two 'hallmark serve' nodes on one PostgreSQL: shared configuration changed through one is in force on the other
 * within two seconds, seen over HTTP by curl as a device would see it.
 */
class TwoServeNodesTest {

    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void aProfileAddedAndALabelChangedThroughOneNodeAreInForceOnTheOtherWithinTwoSeconds() throws Exception {
        Peers.tool("curl");
        Peers.tool("openssl");
        try (TestPostgres db = TestPostgres.create();
             ServerFixture a = ServerFixture.node(dir.resolve("a"), db.url(), dir.resolve("keys"));
             ServerFixture b = ServerFixture.node(dir.resolve("b"), db.url(), dir.resolve("keys"))) {
            assertEquals("404", curl(b, "-o", "cacerts.b64", b.server.httpsUri() + "/.well-known/est/fleet/cacerts").out(), "no label 'fleet' yet");

            labels(a).put(new EnrollmentLabel("fleet", "ldevid-ca", "ldevid", List.of("idevid-ca"), List.of(), false), "test", Instant.now());
            within("label 'fleet' on node B", () -> {
                Peers.Result r = curl(b, "-o", "cacerts.b64", b.server.httpsUri() + "/.well-known/est/fleet/cacerts");
                return r.out().equals("200") ? null : r.all();
            });

            a.hallmark.init(withSensorProfile(), "test");
            labels(a).put(new EnrollmentLabel("fleet", "sensor-ca", "sensor", List.of("idevid-ca"), List.of(), false), "test", Instant.now());
            Path[] device = a.idevid("FLEET-1");
            Path csr = a.csrB64(device[1], "/CN=sensor", "fleet-1");
            // Until node B sees the change, the label's old CA answers: an LDevID from ldevid-ca, not yet what is wanted.
            within("label 'fleet' issuing profile 'sensor' from sensor-ca on node B", () -> {
                Peers.Result r = curl(b, "-o", "ldevid.b64", "--cert", device[0].toString(), "--key", device[1].toString(),
                        "-H", "Content-Type: application/pkcs10", "--data-binary", "@" + csr, b.server.httpsUri() + "/.well-known/est/fleet/simpleenroll");
                if (!r.out().equals("200")) return r.all() + " " + read(b.dir.resolve("ldevid.b64"));
                String issuer = certsOnly(b.dir.resolve("ldevid.b64")).getFirst().getIssuer().toString();
                return issuer.equals("CN=Sensor CA,O=Hallmark Test") ? null : "200, issued by " + issuer;
            });
            X509CertificateHolder ldevid = certsOnly(b.dir.resolve("ldevid.b64")).getFirst();
            assertEquals(Duration.ofDays(30), Duration.between(ldevid.getNotBefore().toInstant(), ldevid.getNotAfter().toInstant()),
                    "issued under the new profile's validity");
        }
    }

    /**
     * /healthz answers "ok" as before; each node names itself and says whether it holds the jobs lease, which exactly
     * one of them does, and the other names the holder.
     */
    @Test
    void healthzNamesTheNodeAndWhichOneHoldsTheJobsLease() throws Exception {
        Peers.tool("curl");
        try (TestPostgres db = TestPostgres.create();
             ServerFixture a = ServerFixture.node(dir.resolve("a"), db.url(), dir.resolve("keys"));
             ServerFixture b = ServerFixture.node(dir.resolve("b"), db.url(), dir.resolve("keys"))) {
            Peers.Result plain = curl(a, "-D", "-", b.server.httpUri() + "/healthz");
            org.junit.jupiter.api.Assertions.assertTrue(plain.out().replace("\r", "").endsWith("\n\nok\n200"), plain::all);
            String nodeA = a.hallmark.lease().orElseThrow().nodeId();
            String nodeB = b.hallmark.lease().orElseThrow().nodeId();
            org.junit.jupiter.api.Assertions.assertTrue(plain.out().replace("\r", "").contains("\nHallmark-Node: " + nodeB + "\n"), plain::all);
            org.junit.jupiter.api.Assertions.assertTrue(plain.out().replace("\r", "").contains("\nHallmark-Lease: standby\n"), plain::all);

            String json = curl(a, "-H", "Accept: application/json", a.server.httpsUri() + "/healthz").out();
            assertEquals("{\"status\":\"ok\",\"node\":\"" + nodeA + "\",\"lease\":{\"name\":\"jobs\",\"held\":true,\"holder\":\"" + nodeA + "\"}}200", json);
            within("node B naming node A as the holder", () -> {
                String other = curl(b, "-H", "Accept: application/json", b.server.httpUri() + "/healthz").out();
                return other.equals("{\"status\":\"ok\",\"node\":\"" + nodeB + "\",\"lease\":{\"name\":\"jobs\",\"held\":false,\"holder\":\""
                        + nodeA + "\"}}200") ? null : other;
            });
        }
    }

    private static EstLabels labels(ServerFixture node) {
        return new EstLabels(node.hallmark.store(), node.hallmark.sharedConfig());
    }

    /** Retries {@code attempt} (null: done, else what went wrong) for two seconds. */
    private static void within(String what, Supplier<String> attempt) throws InterruptedException {
        long deadline = System.nanoTime() + TWO_SECONDS.toNanos();
        String last;
        do {
            last = attempt.get();
            if (last == null) return;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        fail(what + " not in force after 2 s; last answer: " + last);
    }

    private static Peers.Result curl(ServerFixture node, String... args) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--cacert", node.root.toString(), "-w", "%{http_code}"));
        cmd.addAll(List.of(args));
        return Peers.run(node.dir, cmd);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<X509CertificateHolder> certsOnly(Path base64) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(Files.readString(base64));
            return new ArrayList<>(new CMSSignedData(der).getCertificates().getMatches(null));
        } catch (Exception e) {
            throw new IllegalStateException("not a base64 certs-only CMS: " + e.getMessage(), e);
        }
    }

    /** The default hierarchy plus a profile of its own and a CA that issues it. */
    private static HierarchySpec withSensorProfile() {
        List<CaSpec> cas = new ArrayList<>(HierarchySpec.defaults().cas());
        cas.add(new CaSpec("sensor-ca", "root", "CN=Sensor CA,O=Hallmark Test", KeyAlgorithm.EC_P256, Validity.parse("10y"), null,
                List.of("sensor"), null));
        Profile sensor = new Profile("sensor", ProfileKind.END_ENTITY, Validity.parse("30d"), List.of("digitalSignature"), List.of("clientAuth"),
                false, false, Profile.Presence.optional, KeyPolicy.DEFAULT);
        return new HierarchySpec(cas, List.of(sensor));
    }
}
