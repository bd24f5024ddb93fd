package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code device simulate}: many devices in one process enroll, connect to a real broker, renew, and are counted. */
class DeviceSimulateTest {

    @TempDir
    Path dir;

    @Test
    void devicesEnrollConnectRenewAndAreCounted() throws Exception {
        Peers.tool("mosquitto");
        try (EstTestServer server = new EstTestServer(dir.resolve("server"))) {
            server.ldevidValidity("8s");
            Path idevids = dir.resolve("idevids");
            for (int i = 1; i <= 20; i++) server.idevid(idevids, "SIM-%03d".formatted(i));
            Path brokerDir = dir.resolve("broker");
            Path[] brokerCert = server.serverCertificate(brokerDir, "broker");
            try (MosquittoBroker broker = MosquittoBroker.exported(server.data(), brokerDir, brokerCert[0], brokerCert[1])) {
                Path config = dir.resolve("fleet.yaml");
                Files.writeString(config, """
                        est: {url: "%s", trust: ["%s"]}
                        idevid: {directory: idevids}
                        state: fleet-state
                        renewal: {share: 0.5, check-seconds: 0.5}
                        mqtt:
                          - name: broker
                            urls: ["%s"]
                            ca: "%s"
                            publish-topic: "fleet/{device}/up"
                            publish-seconds: 1
                            subscribe: ["fleet/{device}/up"]
                        """.formatted(server.url(), server.ca("root"), broker.url(), server.ca("root")));

                Cli.Run run = Cli.raw("device", "simulate", "--count", "20", "--config", config.toString(), "--concurrency", "8", "--hold", "7", "--json");
                assertEquals(0, run.exit(), run::toString);
                JsonNode r = new ObjectMapper().readTree(run.out());
                assertEquals(20, r.get("devices").asInt(), run::toString);
                assertEquals(20, r.get("enrolled").asInt(), run::toString);
                assertEquals(20, r.get("connected").asInt(), run::toString);
                assertEquals(0, r.get("failed").asInt(), run::toString);
                assertEquals(20, r.get("renewed").asInt(), "8 s LDevIDs renewed at 4 s, held 7 s: " + run);
                assertTrue(r.get("published").asLong() >= 20 * 5, run::toString);
                assertTrue(r.get("enrollmentsPerSecond").asDouble() > 0, run::toString);
                try (var states = Files.list(dir.resolve("fleet-state"))) {
                    assertEquals(20, states.count(), "one state directory per device");
                }

                // More devices than IDevIDs: a clear refusal, nothing started.
                Cli.Run tooMany = Cli.raw("device", "simulate", "--count", "21", "--config", config.toString());
                assertEquals(ExitCodes.BAD_INPUT, tooMany.exit(), tooMany::toString);
                assertTrue(tooMany.err().contains("holds 20 IDevIDs (NAME.pem with NAME.key), fewer than --count 21"), tooMany::toString);

                // device run: a configuration that is not there, and one with a mistake, each a one-line refusal.
                Cli.Run missing = Cli.raw("device", "run", "--config", dir.resolve("nope.yaml").toString());
                assertEquals(ExitCodes.NOT_FOUND, missing.exit(), missing::toString);
                Path typo = dir.resolve("typo.yaml");
                Files.writeString(typo, Files.readString(config).replace("publish-seconds", "publish-every"));
                Cli.Run bad = Cli.raw("device", "run", "--config", typo.toString());
                assertEquals(ExitCodes.BAD_INPUT, bad.exit(), bad::toString);
                assertTrue(bad.err().contains("Unrecognized field \"publish-every\"") && bad.err().strip().lines().count() == 1, bad::toString);
            }
        }
    }
}
