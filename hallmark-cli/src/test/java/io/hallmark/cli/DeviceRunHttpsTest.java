package io.hallmark.cli;

import io.hallmark.device.https.HttpsLink;
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

import static org.junit.jupiter.api.Assertions.*;

/**
 * The agent's HTTPS backend against nginx with ssl_verify_client on and Hallmark's CRL: answered with the LDevID,
 * answered again after a renewal with the new one, refused once the LDevID is revoked (and curl with it too).
 */
class DeviceRunHttpsTest {

    @TempDir
    Path dir;

    @Test
    void nginxAnswersTheLdevidAcrossARenewalAndRefusesItOnceRevoked() throws Exception {
        Peers.tool("nginx");
        Peers.tool("curl");
        List<String> log = new CopyOnWriteArrayList<>();
        try (EstTestServer server = new EstTestServer(dir.resolve("server"))) {
            server.ldevidValidity("12s");
            Path data = server.data();
            Path[] idevid = server.idevid(dir.resolve("devices"), "DEV-HTTPS-1");
            Path web = dir.resolve("web");
            Path[] cert = server.serverCertificate(web, "backend");
            // nginx is configured by 'hallmark export broker --type nginx' (its crl.pem has every CA of the chain's CRL).
            try (NginxMutualTls nginx = NginxMutualTls.exported(data, web, cert[0], cert[1]);
                 ScheduledExecutorService threads = PahoThreads.create()) {
                Path config = dir.resolve("agent.yaml");
                Files.writeString(config, """
                        est: {url: "%s", trust: ["%s"]}
                        idevid: {cert: "%s", key: "%s"}
                        state: state
                        renewal: {share: 0.5, check-seconds: 0.5}
                        https:
                          - {url: "%s", ca: "%s", every-seconds: 0.5}
                        """.formatted(server.url(), server.ca("root"), idevid[0], idevid[1], nginx.url(), server.ca("root")));
                AgentConfig cfg = AgentConfig.read(config);
                String serial;
                try (AgentRun run = new AgentRun(cfg, () -> IdevidLoader.load(cfg.idevid()), threads, line -> {
                    log.add(line);
                    System.out.println("agent: " + line);
                }, Clock.systemUTC()).start()) {
                    DeviceRunMqttTest.await(() -> https(run).ok() >= 3, 30, "answers from nginx: " + log + nginx.log());
                    assertEquals(0, https(run).failed(), () -> https(run) + nginx.log());
                    DeviceRunMqttTest.await(() -> run.summary().renewals() >= 1, 30, "a renewal");
                    long before = https(run).ok();
                    DeviceRunMqttTest.await(() -> https(run).ok() >= before + 3, 30, "answers after the renewal");
                    assertEquals(0, https(run).failed(), () -> https(run) + nginx.log());
                    run.drain(5, java.util.concurrent.TimeUnit.SECONDS);
                    serial = run.summary().serial();
                }
                assertTrue(log.stream().anyMatch(l -> l.equals(nginx.url() + ": HTTP 200 with certificate serial " + log.stream()
                        .filter(x -> x.startsWith("enrolled: LDevID serial ")).findFirst().orElseThrow().split(" ")[3])), log::toString);

                Path current = cfg.state().resolve("current");
                assertEquals("200", curl(nginx, server, current).out().strip());
                Cli.Run revoke = Cli.run(data, "revoke", serial, "--reason", "keyCompromise");
                assertEquals(0, revoke.exit(), revoke::toString);
                nginx.refresh();
                assertEquals("400", curl(nginx, server, current).out().strip(), nginx::log);

                log.clear();
                try (AgentRun again = new AgentRun(cfg, () -> IdevidLoader.load(cfg.idevid()), threads, log::add, Clock.systemUTC()).start()) {
                    DeviceRunMqttTest.await(() -> https(again).failed() >= 2, 30, "refusals: " + log);
                    assertEquals(0, https(again).ok(), () -> https(again).toString());
                    assertEquals(400, https(again).lastStatus(), () -> https(again).toString());
                }
                assertTrue(log.stream().anyMatch(l -> l.startsWith(nginx.url() + ": HTTP 400 (refused: ")), log::toString);
            }
        }
    }

    private static HttpsLink.Stats https(AgentRun run) {
        return run.summary().https().getFirst();
    }

    private Peers.Result curl(NginxMutualTls nginx, EstTestServer server, Path current) {
        return Peers.run(dir, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", server.ca("root").toString(),
                "--cert", current.resolve("ldevid.pem").toString(), "--key", current.resolve("ldevid.key").toString(), nginx.url());
    }
}
