package io.hallmark.cli;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The point of an LDevID: a broker that demands client certificates lets the device in. A private
 * Mosquitto on a free port (the system one on 1883 is left alone) trusts root + ldevid-ca only.
 */
class LdevidMosquittoTest {

    @TempDir
    Path dir;

    @Test
    void ldevidConnectsToAMutualTlsBrokerAndTheIdevidDoesNot() throws Exception {
        Path mosquitto = Peers.tool("mosquitto");
        Peers.tool("mosquitto_pub");
        Peers.tool("mosquitto_sub");
        try (EstTestServer server = new EstTestServer(dir.resolve("server"))) {
            Path[] idevid = server.idevid(dir.resolve("devices"), "DEV-7");
            Path state = dir.resolve("state");
            Cli.Run enrolled = Cli.raw("device", "enroll", "--server", server.url(), "--idevid-cert", idevid[0].toString(),
                    "--idevid-key", idevid[1].toString(), "--ca-cert", server.ca("root").toString(), "--state", state.toString());
            assertEquals(0, enrolled.exit(), enrolled::toString);

            Path broker = dir.resolve("broker");
            Path[] brokerCert = server.serverCertificate(broker, "broker");
            Files.writeString(broker.resolve("clients.pem"), Files.readString(server.ca("root")) + Files.readString(server.ca("ldevid-ca")));
            int port = freePort();
            Path conf = broker.resolve("mosquitto.conf");
            Files.writeString(conf, String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    "persistence false",
                    "log_dest stderr",
                    "user " + System.getProperty("user.name"), // stay this user: the key files are 0600
                    "cafile " + broker.resolve("clients.pem"),
                    "certfile " + brokerCert[0],
                    "keyfile " + brokerCert[1],
                    "require_certificate true",
                    "use_identity_as_username true", ""));
            Process process = new ProcessBuilder(mosquitto.toString(), "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(broker.resolve("mosquitto.log").toFile()).start();
            try {
                awaitListening(port, process, broker.resolve("mosquitto.log"));
                Path current = state.resolve("current");
                List<String> tls = List.of("-h", "127.0.0.1", "-p", String.valueOf(port), "--cafile", server.ca("root").toString());
                String message = "hello from DEV-7 " + System.nanoTime();

                // Retained, so the subscriber that connects afterwards receives it without a race.
                Peers.Result pub = Peers.run(dir, concat(List.of("mosquitto_pub"), tls, List.of("--cert", current.resolve("ldevid.pem").toString(),
                        "--key", current.resolve("ldevid.key").toString(), "-t", "hallmark/test", "-r", "-q", "1", "-m", message)));
                assertEquals(0, pub.exit(), () -> pub.all() + log(broker));
                Peers.Result sub = Peers.run(dir, concat(List.of("mosquitto_sub"), tls, List.of("--cert", current.resolve("ldevid.pem").toString(),
                        "--key", current.resolve("ldevid.key").toString(), "-t", "hallmark/test", "-C", "1", "-W", "10")));
                assertEquals(0, sub.exit(), () -> sub.all() + log(broker));
                assertEquals(message, sub.out().strip());

                // The broker's check is real: the IDevID (from idevid-ca, which it does not trust) is turned away.
                Peers.Result refused = Peers.run(dir, concat(List.of("mosquitto_pub"), tls, List.of("--cert", idevid[0].toString(),
                        "--key", idevid[1].toString(), "-t", "hallmark/test", "-m", "should not arrive")));
                assertNotEquals(0, refused.exit(), () -> refused.all() + log(broker));
            } finally {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
            }
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) fail("mosquitto exited: " + Files.readString(log));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        fail("mosquitto did not listen on " + port + ": " + Files.readString(log));
    }

    private static String log(Path broker) {
        try {
            return "\n--- mosquitto.log\n" + Files.readString(broker.resolve("mosquitto.log"));
        } catch (IOException e) {
            return "";
        }
    }
}
