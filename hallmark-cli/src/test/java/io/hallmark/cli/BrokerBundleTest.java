package io.hallmark.cli;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Brokers configured from {@code hallmark export broker}, run for real on loopback ports: Mosquitto (MQTT over mutual
 * TLS) and nginx (HTTPS with client certificates in front of a backend). A device's LDevID gets in; once it is
 * revoked and the watching export has rewritten crl.pem and reloaded each broker, both turn it away. On the way, the
 * test checks what the design rests on: Mosquitto 2 does not read crlfile per connection, and re-reads it on SIGHUP.
 */
class BrokerBundleTest {

    @TempDir
    Path dir;

    @Test
    void aRevokedDeviceIsTurnedAwayByMosquittoAndNginxOnceTheWatchedBundleIsReloaded() throws Exception {
        Path mosquitto = Peers.tool("mosquitto");
        Peers.tool("mosquitto_pub");
        Path nginx = Peers.tool("nginx");
        Peers.tool("curl");
        Path data = dir.resolve("data");
        Cli.ok(data, "init");
        Cli.ok(data, "publication", "--base-url", "http://127.0.0.1:8080", "--partitions", "ldevid-ca=4");
        Cli.ok(data, "issue", "--ca", "clients-ca", "--profile", "server", "--generate-key", "--subject", "CN=broker", "--ip", "127.0.0.1",
                "--chain", "--out", dir.resolve("broker.pem").toString());
        for (String device : List.of("pump-1", "pump-2")) {
            Cli.ok(data, "issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=" + device,
                    "--serial-number", "SN-" + device, "--out", dir.resolve(device + ".pem").toString());
        }
        Path root = data.resolve("ca/root.pem");
        int mqttPort = PeerProcess.freePort();
        int httpsPort = PeerProcess.freePort();
        int backendPort = PeerProcess.freePort();
        List<String> serverCert = List.of("--server-cert", dir.resolve("broker.pem").toString(), "--server-key", dir.resolve("broker.key").toString());
        List<String> mosquittoExport = concat(List.of("--type", "mosquitto", "--out", dir.resolve("mosquitto").toString(),
                "--listen", "127.0.0.1:" + mqttPort), serverCert);
        List<String> nginxExport = concat(List.of("--type", "nginx", "--out", dir.resolve("nginx").toString(),
                "--listen", "127.0.0.1:" + httpsPort, "--backend", "http://127.0.0.1:" + backendPort), serverCert);
        Cli.ok(data, concat(List.of("export", "broker"), mosquittoExport).toArray(String[]::new));
        Cli.ok(data, concat(List.of("export", "broker"), nginxExport).toArray(String[]::new));
        assertTrue(Files.readString(dir.resolve("mosquitto/ca.pem")).contains("BEGIN CERTIFICATE"));

        // Each broker runs the exported snippet as it is; around it only what a test on this machine needs.
        Path mosquittoConf = Files.writeString(dir.resolve("mosquitto/main.conf"), String.join("\n",
                "user " + System.getProperty("user.name"), // stay this user: the key files are 0600
                "pid_file " + dir.resolve("mosquitto/mosquitto.pid"),
                "log_dest stderr", "persistence false", "") + Files.readString(dir.resolve("mosquitto/mosquitto.conf")));
        Path prefix = Files.createDirectories(dir.resolve("nginx-prefix"));
        Files.createDirectories(prefix.resolve("logs"));
        Path nginxConf = Files.writeString(prefix.resolve("nginx.conf"), """
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log info;
                events { worker_connections 64; }
                http {
                    access_log %1$s/logs/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %2$s;
                    server {
                        listen 127.0.0.1:%3$d;
                        location / { return 200 "backend saw $http_x_client_subject ($http_x_client_verify)\\n"; }
                    }
                }
                """.formatted(prefix, dir.resolve("nginx/nginx.conf"), backendPort));
        List<String> nginxCommand = List.of(nginx.toString(), "-e", "stderr", "-p", prefix.toString(), "-c", nginxConf.toString());

        try (PeerProcess mqtt = PeerProcess.start(dir.resolve("mosquitto"), "mosquitto", mqttPort, List.of(mosquitto.toString(), "-c", mosquittoConf.toString()));
             PeerProcess https = PeerProcess.start(prefix, "nginx", httpsPort, concat(nginxCommand, List.of("-g", "daemon off;")))) {
            Supplier<String> logs = () -> mqtt.log() + https.log();
            for (String device : List.of("pump-1", "pump-2")) {
                Peers.Result pub = publish(mqttPort, root, device);
                assertEquals(0, pub.exit(), () -> pub.all() + logs.get());
                Peers.Result get = get(httpsPort, root, device);
                assertEquals(0, get.exit(), () -> get.all() + logs.get());
                assertTrue(get.out().startsWith("backend saw ") && get.out().contains("CN=" + device), get.out());
                assertTrue(get.out().contains("(SUCCESS)"), get.out());
            }

            // Mosquitto does not read crlfile per connection: pump-2 revoked and crl.pem rewritten, it still gets in ...
            Cli.ok(data, "revoke", serialOf(dir.resolve("pump-2.pem")), "--reason", "keyCompromise");
            Cli.Run rewritten = Cli.ok(data, concat(List.of("export", "broker"), mosquittoExport).toArray(String[]::new));
            assertTrue(rewritten.out().contains("wrote crl.pem"), rewritten.out());
            assertEquals(0, publish(mqttPort, root, "pump-2").exit(), "mosquitto read crl.pem without being told");
            // ... and once it gets SIGHUP it has read the file again: pump-2 is refused, pump-1 still welcome.
            Peers.Result hup = Peers.run(dir, "kill", "-HUP", Files.readString(dir.resolve("mosquitto/mosquitto.pid")).strip());
            assertEquals(0, hup.exit(), hup::all);
            assertEventually(() -> publish(mqttPort, root, "pump-2").exit() != 0, "mosquitto re-read crlfile on SIGHUP" + logs.get());
            assertEquals(0, publish(mqttPort, root, "pump-1").exit(), logs.get());
            // Exporting again with nothing new revoked rewrites nothing, so there is nothing to reload.
            Cli.Run again = Cli.ok(data, concat(List.of("export", "broker"), mosquittoExport).toArray(String[]::new));
            assertTrue(again.out().contains("up to date"), again.out());

            // The watching exports: one reloads mosquitto by its pid file, the other nginx by a command.
            try (WatchProcess mqttWatch = WatchProcess.start(data, concat(mosquittoExport, List.of("--reload-pid", dir.resolve("mosquitto/mosquitto.pid").toString())));
                 WatchProcess httpsWatch = WatchProcess.start(data, concat(nginxExport, List.of("--reload-command",
                         String.join(" ", nginxCommand) + " -s reload")))) {
                // The nginx watch started on a crl.pem that no longer lists what is revoked: it rewrote and reloaded at once.
                assertTrue(httpsWatch.output().contains("wrote crl.pem"), httpsWatch.output());
                assertEventually(() -> get(httpsPort, root, "pump-2").exit() != 0, "nginx refuses pump-2 after its reload" + logs.get());

                Cli.ok(data, "revoke", serialOf(dir.resolve("pump-1.pem")), "--reason", "keyCompromise");
                String line = mqttWatch.await(l -> l.contains("wrote crl.pem") && l.contains("SIGHUP to pid"), 20);
                assertTrue(line.contains("ldevid-ca: 2 revoked"), line);
                httpsWatch.await(l -> l.contains("wrote crl.pem (ldevid-ca: 2 revoked") && l.contains("ran '"), 20);
                assertEventually(() -> publish(mqttPort, root, "pump-1").exit() != 0, "mosquitto refuses pump-1 after the watch's reload" + logs.get());
                assertEventually(() -> get(httpsPort, root, "pump-1").exit() != 0, "nginx refuses pump-1 after the watch's reload" + logs.get());
                assertEquals(1, mqttWatch.count(l -> l.contains("wrote ")), "one rewrite for one revocation:\n" + mqttWatch.output());

                // SIGTERM ends a watch cleanly, and promptly.
                assertTrue(mqttWatch.stop(15), mqttWatch.output());
                assertTrue(mqttWatch.output().contains("stopped watching"), mqttWatch.output());
            }
            List<String> leftovers = new ArrayList<>();
            try (var files = Files.list(dir.resolve("mosquitto"))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).forEach(leftovers::add);
            }
            assertEquals(List.of(), leftovers, "no temporary files left behind");
        }
    }

    private Peers.Result publish(int port, Path root, String device) {
        return Peers.run(dir, "mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(port), "--cafile", root.toString(),
                "--cert", dir.resolve(device + ".pem").toString(), "--key", dir.resolve(device + ".key").toString(), "-t", "pumps/" + device, "-m", "ok");
    }

    private Peers.Result get(int port, Path root, String device) {
        return Peers.run(dir, "curl", "-fsS", "--max-time", "10", "--cacert", root.toString(), "--cert", dir.resolve(device + ".pem").toString(),
                "--key", dir.resolve(device + ".key").toString(), "https://127.0.0.1:" + port + "/");
    }

    private static String serialOf(Path pem) throws Exception {
        return io.hallmark.core.crypto.Pem.holder(io.hallmark.core.crypto.Pem.derOf(Files.readAllBytes(pem), "CERTIFICATE")).getSerialNumber().toString(16);
    }

    /** A broker's reload is asynchronous (nginx's workers switch over after the command returns): retried for 15 s. */
    private static void assertEventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(200);
        }
        fail("not so within 15 s: " + what);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }
}
