package io.hallmark.cli;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
            try (MosquittoBroker mqtt = MosquittoBroker.start(broker, broker.resolve("clients.pem"), brokerCert[0], brokerCert[1], null)) {
                int port = mqtt.port();
                Path current = state.resolve("current");
                List<String> tls = List.of("-h", "127.0.0.1", "-p", String.valueOf(port), "--cafile", server.ca("root").toString());
                String message = "hello from DEV-7 " + System.nanoTime();

                // Retained, so the subscriber that connects afterwards receives it without a race.
                Peers.Result pub = Peers.run(dir, concat(List.of("mosquitto_pub"), tls, List.of("--cert", current.resolve("ldevid.pem").toString(),
                        "--key", current.resolve("ldevid.key").toString(), "-t", "hallmark/test", "-r", "-q", "1", "-m", message)));
                assertEquals(0, pub.exit(), () -> pub.all() + mqtt.log());
                Peers.Result sub = Peers.run(dir, concat(List.of("mosquitto_sub"), tls, List.of("--cert", current.resolve("ldevid.pem").toString(),
                        "--key", current.resolve("ldevid.key").toString(), "-t", "hallmark/test", "-C", "1", "-W", "10")));
                assertEquals(0, sub.exit(), () -> sub.all() + mqtt.log());
                assertEquals(message, sub.out().strip());

                // The broker's check is real: the IDevID (from idevid-ca, which it does not trust) is turned away.
                Peers.Result refused = Peers.run(dir, concat(List.of("mosquitto_pub"), tls, List.of("--cert", idevid[0].toString(),
                        "--key", idevid[1].toString(), "-t", "hallmark/test", "-m", "should not arrive")));
                assertNotEquals(0, refused.exit(), () -> refused.all() + mqtt.log());
            }
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }
}
