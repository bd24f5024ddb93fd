package io.hallmark.cli;

import io.hallmark.device.mqtt.MqttLink;
import io.hallmark.device.mqtt.PahoThreads;
import io.hallmark.device.run.AgentConfig;
import io.hallmark.device.run.AgentRun;
import io.hallmark.device.run.IdevidLoader;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The agent against real brokers: three Mosquitto instances demanding client certificates from Hallmark's CAs and
 * checking Hallmark's CRL, two of them one backend (failover), the third a second backend. The device holds only an
 * IDevID; it enrolls, connects to both backends, publishes heartbeats and receives them back on its own topic; one
 * broker is stopped under it; its 20-second LDevID is renewed under it; then it is revoked and refused.
 */
class DeviceRunMqttTest {

    @TempDir
    Path dir;

    final List<String> log = new CopyOnWriteArrayList<>();
    final Consumer<String> logger = line -> {
        log.add(line);
        System.out.println("agent: " + line);
    };

    @Test
    void enrollsConnectsFailsOverRenewsWithoutLosingAMessageAndIsRefusedOnceRevoked() throws Exception {
        Peers.tool("mosquitto");
        Peers.tool("mosquitto_pub");
        try (EstTestServer server = new EstTestServer(dir.resolve("server"))) {
            server.ldevidValidity("20s");
            Path data = server.data();
            Path[] idevid = server.idevid(dir.resolve("devices"), "DEV-MQTT-1");
            Path brokers = dir.resolve("brokers");
            Path[] brokerCert = server.serverCertificate(brokers, "broker");
            // Every broker is configured by 'hallmark export broker', as an operator would.
            try (MosquittoBroker a1 = MosquittoBroker.exported(data, dir.resolve("a1"), brokerCert[0], brokerCert[1]);
                 MosquittoBroker a2 = MosquittoBroker.exported(data, dir.resolve("a2"), brokerCert[0], brokerCert[1]);
                 MosquittoBroker b = MosquittoBroker.exported(data, dir.resolve("b"), brokerCert[0], brokerCert[1]);
                 ScheduledExecutorService threads = PahoThreads.create()) {
                Path config = config(server, idevid, List.of(a1.url(), a2.url()), List.of(b.url()));
                AgentConfig cfg = AgentConfig.read(config);
                long heartbeatsPrimary;
                long heartbeatsSecond;
                String renewedSerial;
                try (AgentRun run = new AgentRun(cfg, () -> IdevidLoader.load(cfg.idevid()), threads, logger, Clock.systemUTC()).start()) {
                    assertTrue(run.awaitConnected(30, TimeUnit.SECONDS), () -> "not connected: " + log + a1.log() + b.log());
                    assertTrue(log.stream().anyMatch(l -> l.startsWith("enrolled: LDevID serial")), log::toString);
                    MqttLink primary = run.links().get(0);
                    MqttLink second = run.links().get(1);
                    await(() -> primary.stats().received() >= 10 && second.stats().received() >= 10, 30, "heartbeats coming back on both backends");
                    assertEquals(a1.url(), primary.stats().connectedTo());

                    // One broker of the primary backend goes away: the agent moves to the next URL and keeps publishing.
                    a1.close();
                    await(() -> a2.url().equals(primary.stats().connectedTo()), 30, "failover to " + a2.url());
                    assertTrue(primary.stats().failovers() >= 1);
                    assertTrue(log.stream().anyMatch(l -> l.equals("primary: failover from " + a1.url() + " to " + a2.url())), log::toString);
                    long afterFailover = primary.stats().published();
                    long receivedAfterFailover = primary.stats().received();
                    await(() -> primary.stats().published() >= afterFailover + 10 && primary.stats().received() >= receivedAfterFailover + 10,
                            30, "publishing and receiving through " + a2.url());

                    // The LDevID is valid 20 s and renewed at half of that: both connections move to the new certificate.
                    await(() -> run.summary().renewals() >= 1, 60, "a renewal");
                    renewedSerial = run.summary().serial();
                    String serial = renewedSerial;
                    await(() -> log.stream().filter(l -> l.contains("with certificate serial " + serial)).count() >= 2, 30,
                            "both backends reconnected with serial " + serial);
                    long atRenewal = second.stats().received();
                    await(() -> second.stats().received() >= atRenewal + 10 && primary.stats().connected(), 30, "heartbeats after the renewal");

                    // Nothing lost: every heartbeat was acknowledged, and on the backend that never failed over every one came back.
                    assertTrue(run.drain(30, TimeUnit.SECONDS), () -> "queued messages not acknowledged: " + run.summary());
                    heartbeatsPrimary = primary.heartbeats();
                    heartbeatsSecond = second.heartbeats();
                    await(() -> second.stats().received() == second.heartbeats(), 15, "every heartbeat back on the second backend");
                    MqttLink.Stats p = primary.stats();
                    MqttLink.Stats s = second.stats();
                    assertEquals(heartbeatsPrimary, p.published(), () -> "primary: " + p);
                    assertEquals(heartbeatsSecond, s.published(), () -> "second: " + s);
                    assertEquals(heartbeatsSecond, s.received(), () -> "second: " + s);
                    assertEquals(0, p.dropped() + s.dropped());
                    assertTrue(heartbeatsSecond >= 30, () -> "too few heartbeats to mean anything: " + s);
                }
                assertTrue(log.stream().anyMatch(l -> l.startsWith("renewed: LDevID serial")), log::toString);

                // The device's LDevID works with mosquitto_pub too, until it is revoked.
                Path current = cfg.state().resolve("current");
                assertEquals(0, mosquittoPub(b, server, current).exit(), () -> mosquittoPub(b, server, current).all() + b.log());
                Cli.Run revoke = Cli.run(data, "revoke", renewedSerial, "--reason", "keyCompromise");
                assertEquals(0, revoke.exit(), revoke::toString);
                a2.refresh();
                b.refresh();

                Peers.Result refused = mosquittoPub(b, server, current);
                assertNotEquals(0, refused.exit(), () -> "a revoked certificate was let in: " + refused.all() + b.log());

                log.clear();
                try (AgentRun again = new AgentRun(cfg, () -> IdevidLoader.load(cfg.idevid()), threads, logger, Clock.systemUTC()).start()) {
                    assertFalse(again.awaitConnected(5, TimeUnit.SECONDS), "the revoked LDevID connected: " + log);
                    for (MqttLink.Stats st : again.summary().links()) {
                        assertEquals(0, st.connects(), st::toString);
                        assertNotNull(st.lastError(), st::toString);
                    }
                    assertTrue(log.stream().anyMatch(l -> l.startsWith("second: cannot connect to " + b.url() + ": refused by the broker during the TLS handshake")
                            && l.contains("certificate_revoked")), log::toString);
                    assertTrue(again.summary().links().get(1).refusals() >= 1, () -> again.summary().toString());
                }
                assertTrue(b.log().contains("revoked") || b.log().contains("OpenSSL Error"), b::log);
            }
        }
    }

    private Peers.Result mosquittoPub(MosquittoBroker broker, EstTestServer server, Path current) {
        return Peers.run(dir, "mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()), "--cafile", server.ca("root").toString(),
                "--cert", current.resolve("ldevid.pem").toString(), "--key", current.resolve("ldevid.key").toString(),
                "-t", "devices/DEV-MQTT-1/telemetry", "-q", "1", "-m", "from mosquitto_pub");
    }

    private Path config(EstTestServer server, Path[] idevid, List<String> primary, List<String> second) throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, """
                est:
                  url: %s
                  trust: [%s]
                idevid:
                  cert: %s
                  key: %s
                state: state
                renewal:
                  share: 0.5
                  check-seconds: 0.5
                mqtt:
                  - name: primary
                    urls: [%s]
                    ca: %s
                    publish-topic: "devices/{device}/telemetry"
                    publish-seconds: 0.1
                    qos: 1
                    subscribe: ["devices/{device}/telemetry"]
                  - name: second
                    urls: [%s]
                    ca: %s
                    publish-topic: "devices/{device}/telemetry"
                    publish-seconds: 0.1
                    subscribe: ["devices/{device}/telemetry"]
                """.formatted(server.url(), server.ca("root"), idevid[0], idevid[1], String.join(", ", primary), server.ca("root"),
                String.join(", ", second), server.ca("root")));
        return file;
    }

    static void await(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("waited " + seconds + " s for " + what);
            Thread.sleep(50);
        }
    }
}
