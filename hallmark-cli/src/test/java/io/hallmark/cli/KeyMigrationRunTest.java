package io.hallmark.cli;

import io.hallmark.core.ca.CaSpec;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.inventory.CertificateKeyAlgorithm;
import io.hallmark.core.migrate.DeviceGroup;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.device.LdevidState;
import io.hallmark.device.https.HttpsLink;
import io.hallmark.device.mqtt.PahoThreads;
import io.hallmark.device.run.AgentConfig;
import io.hallmark.device.run.AgentRun;
import io.hallmark.device.run.IdevidLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.*;

/**
 * 'device run' across a migration: a running agent on P-256 LDevIDs renews on its timer after a policy moved its CA's
 * devices to Ed25519 under another CA, and goes on renewing with its Ed25519 LDevID as the TLS client certificate (which
 * its HTTPS backend, the server's own cacerts, takes too).
 */
class KeyMigrationRunTest {

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();

    /** A server whose LDevIDs live {@code validity}, with one more issuing CA for them under the default root. */
    private EstTestServer server(String validity, String caName, String subject, KeyAlgorithm algorithm) throws Exception {
        EstTestServer server = new EstTestServer(dir.resolve("server"));
        server.ldevidValidity(validity);
        List<CaSpec> cas = new ArrayList<>(HierarchySpec.defaults().cas());
        cas.add(new CaSpec(caName, "root", subject, algorithm, null, null, List.of("ldevid"), null));
        server.hallmark.init(new HierarchySpec(cas, List.of()), "test");
        return server;
    }

    /** 'device run' for a fresh device, renewing at half its LDevID's life, polling the server's cacerts as its HTTPS backend. */
    private AgentRun agent(EstTestServer server, String device, ScheduledExecutorService threads, double everySeconds) throws Exception {
        Path[] idevid = server.idevid(dir.resolve("devices"), device);
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, """
                est: {url: "%s", trust: ["%s"]}
                idevid: {cert: "%s", key: "%s"}
                state: %s
                renewal: {share: 0.5, check-seconds: 0.5}
                https:
                  - {url: "%s/.well-known/est/cacerts", ca: "%s", every-seconds: %s}
                """.formatted(server.url(), server.ca("root"), idevid[0], idevid[1], dir.resolve("state"), server.url(), server.ca("root"), everySeconds));
        AgentConfig cfg = AgentConfig.read(config);
        return new AgentRun(cfg, () -> IdevidLoader.load(cfg.idevid()), threads, line -> {
            log.add(line);
            System.out.println("agent: " + line);
        }, Clock.systemUTC()).start();
    }

    private LdevidState state() {
        return new LdevidState(dir.resolve("state"));
    }

    @Test
    void aRunningAgentMovesToEd25519AtItsNextRenewalAndKeepsRenewing() throws Exception {
        try (EstTestServer server = server("8s", "ldevid-ed", "CN=Hallmark LDevID Ed25519 CA", KeyAlgorithm.ED25519);
             ScheduledExecutorService threads = PahoThreads.create();
             AgentRun run = agent(server, "RUN-MIG-1", threads, 0.5)) {
            LdevidState state = state();
            X509Certificate first = state.current().orElseThrow().certificate();
            assertEquals("ec-p256", CertificateKeyAlgorithm.of(first.getEncoded()));
            server.hallmark.migrations().set(new DeviceGroup.Ca("ldevid-ca"), "ldevid-ed", null, "ed25519", Duration.ZERO, "test");

            DeviceRunMqttTest.await(() -> run.summary().renewals() >= 1, 30, "a renewal: " + log);
            X509Certificate moved = state.current().orElseThrow().certificate();
            assertEquals("ed25519", CertificateKeyAlgorithm.of(moved.getEncoded()), log::toString);
            assertEquals(server.hallmark.cas().get("ldevid-ed").x509().getSubjectX500Principal(), moved.getIssuerX500Principal());
            assertTrue(log.stream().anyMatch(l -> l.equals("csrattrs asks for an ed25519 key; the current certificate has an ec-p256 key: moving to ed25519")),
                    log::toString);
            CertificateRecord old = record(server, first);
            assertEquals(RevocationReason.superseded, old.revocation().reason());
            // The chain stored with the new LDevID is the Ed25519 CA's: what the device presents to its backends.
            assertEquals(moved.getIssuerX500Principal(), state.current().orElseThrow().caChain().getFirst().getSubjectX500Principal());

            long ok = https(run).ok();
            DeviceRunMqttTest.await(() -> https(run).ok() >= ok + 3, 30, "backend answers with the Ed25519 LDevID: " + https(run));
            DeviceRunMqttTest.await(() -> run.summary().renewals() >= 2, 30, "a renewal authenticated by the Ed25519 LDevID: " + log);
            X509Certificate again = state.current().orElseThrow().certificate();
            assertNotEquals(moved.getSerialNumber(), again.getSerialNumber());
            assertEquals("ed25519", CertificateKeyAlgorithm.of(again.getEncoded()));
            assertEquals(moved.getIssuerX500Principal(), again.getIssuerX500Principal());
            assertNull(record(server, moved).revocation(), "renewing on the target supersedes nothing");
            assertEquals(0, run.summary().renewalFailures(), log::toString);
        }
    }

    /**
     * Moved to ML-DSA-44: the first renewal (authenticated by the P-256 LDevID) moves the device; the next cannot present the
     * ML-DSA LDevID in the JDK's TLS, so the agent renews through its IDevID and stays on the target CA and algorithm.
     */
    @Test
    void aRunningAgentMovedToMlDsaRenewsThroughItsIdevid() throws Exception {
        try (EstTestServer server = server("8s", "ldevid-pq", "CN=Hallmark LDevID ML-DSA-44 CA", KeyAlgorithm.ML_DSA_44);
             ScheduledExecutorService threads = PahoThreads.create();
             AgentRun run = agent(server, "RUN-PQ-1", threads, 1)) {
            server.hallmark.migrations().set(new DeviceGroup.Ca("ldevid-ca"), "ldevid-pq", null, "ml-dsa-44", Duration.ZERO, "test");
            DeviceRunMqttTest.await(() -> run.summary().renewals() >= 2, 40, "two renewals: " + log);
            X509Certificate now = state().current().orElseThrow().certificate();
            assertEquals("ml-dsa-44", CertificateKeyAlgorithm.of(now.getEncoded()), log::toString);
            assertEquals(server.hallmark.cas().get("ldevid-pq").x509().getSubjectX500Principal(), now.getIssuerX500Principal());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("renewing through the IDevID: the LDevID's post-quantum key")), log::toString);
            assertEquals(0, run.summary().renewalFailures(), log::toString);
        }
    }

    /**
     * The answer to a moving re-enrollment lost on the way: the server recorded the new LDevID and revoked the old one as
     * superseded, the device still holds the old one. At its next renewal the refusal names superseded, and the agent enrolls
     * again with its IDevID (onto the policy's target) instead of failing until its LDevID expires.
     */
    @Test
    void anAgentWhoseMoveWasLostEnrollsAgainWithItsIdevid() throws Exception {
        try (EstTestServer server = server("30s", "ldevid-ed", "CN=Hallmark LDevID Ed25519 CA", KeyAlgorithm.ED25519);
             ScheduledExecutorService threads = PahoThreads.create();
             AgentRun run = agent(server, "RUN-LOST-1", threads, 1)) {
            LdevidState state = state();
            X509Certificate first = state.current().orElseThrow().certificate();
            server.hallmark.migrations().set(new DeviceGroup.Ca("ldevid-ca"), "ldevid-ed", null, "ed25519", Duration.ZERO, "test");
            // The same device moves from a copy of its state: the server's answer reaches the copy, never the agent.
            Path lost = dir.resolve("state-lost");
            copy(dir.resolve("state"), lost);
            Cli.Run moved = Cli.raw("device", "reenroll", "--server", server.url(), "--ca-cert", server.ca("root").toString(),
                    "--state", lost.toString(), "--force", "--json");
            assertEquals(0, moved.exit(), moved::toString);
            assertEquals(RevocationReason.superseded, record(server, first).revocation().reason());
            assertEquals(first.getSerialNumber(), state.current().orElseThrow().certificate().getSerialNumber(), "the agent still holds the old one");

            DeviceRunMqttTest.await(() -> run.summary().renewals() >= 1, 40, "a renewal: " + log);
            X509Certificate now = state.current().orElseThrow().certificate();
            assertEquals("ed25519", CertificateKeyAlgorithm.of(now.getEncoded()), log::toString);
            assertEquals(server.hallmark.cas().get("ldevid-ed").x509().getSubjectX500Principal(), now.getIssuerX500Principal());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("the LDevID was superseded by a certificate this device never received")), log::toString);
            assertEquals(0, run.summary().renewalFailures(), log::toString);
        }
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(p));
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static CertificateRecord record(EstTestServer server, X509Certificate c) {
        String serial = Serials.hex(c.getSerialNumber());
        return server.hallmark.store().read(tx -> tx.certificates().find(serial)).orElseThrow();
    }

    private static HttpsLink.Stats https(AgentRun run) {
        return run.summary().https().getFirst();
    }

}
