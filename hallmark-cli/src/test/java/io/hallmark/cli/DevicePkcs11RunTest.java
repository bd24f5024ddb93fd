package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A device whose IDevID key lives on a PKCS#11 token (SoftHSM2, a token made for the test): {@code device run} enrolls
 * over EST with the token signing the TLS handshake, then publishes to a Mosquitto broker with the LDevID. The agent
 * runs as its own process because SoftHSM2 reads SOFTHSM2_CONF when the library is loaded.
 */
class DevicePkcs11RunTest {

    private static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    private static final String PIN = "1234";

    @TempDir
    Path dir;

    @Test
    void aDeviceWithItsIdevidKeyOnATokenEnrollsReachesTwoBrokersAndAWebBackendAndIsRefusedByAllOnceRevoked() throws Exception {
        Path softhsm = Peers.tool("softhsm2-util");
        Path pkcs11Tool = Peers.tool("pkcs11-tool");
        Peers.tool("openssl");
        Peers.tool("mosquitto_pub");
        Peers.tool("nginx");
        Path conf = dir.resolve("softhsm2.conf");
        Files.writeString(conf, "directories.tokendir = " + Files.createDirectories(dir.resolve("tokens")) + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        exec(List.of(softhsm.toString(), "--init-token", "--free", "--label", "device-se", "--pin", PIN, "--so-pin", "12345678"), conf);

        try (EstTestServer server = new EstTestServer(dir.resolve("server"))) {
            // The IDevID's key goes onto the token with its certificate (same CKA_ID), and the file is deleted: only the token has it.
            Path[] idevid = server.idevid(dir.resolve("factory"), "DEV-SE-1");
            exec(List.of(softhsm.toString(), "--import", idevid[1].toString(), "--token", "device-se", "--label", "idevid", "--id", "01", "--pin", PIN), conf);
            Path der = dir.resolve("factory/idevid.der");
            exec(List.of("openssl", "x509", "-in", idevid[0].toString(), "-outform", "DER", "-out", der.toString()), conf);
            exec(List.of(pkcs11Tool.toString(), "--module", LIBRARY, "--token-label", "device-se", "--login", "--pin", PIN,
                    "--write-object", der.toString(), "--type", "cert", "--id", "01", "--label", "idevid"), conf);
            Files.delete(idevid[1]);
            Path pin = dir.resolve("pin");
            Files.writeString(pin, PIN + "\n");

            // Two MQTT backends and an HTTPS one, each configured by 'hallmark export broker', as an operator would.
            Path[] brokerCert = server.serverCertificate(dir.resolve("certs"), "broker");
            Path[] webCert = server.serverCertificate(dir.resolve("certs"), "backend");
            try (MosquittoBroker first = MosquittoBroker.exported(server.data(), dir.resolve("mqtt-1"), brokerCert[0], brokerCert[1]);
                 MosquittoBroker second = MosquittoBroker.exported(server.data(), dir.resolve("mqtt-2"), brokerCert[0], brokerCert[1]);
                 NginxMutualTls web = NginxMutualTls.exported(server.data(), dir.resolve("web"), webCert[0], webCert[1])) {
                Path config = dir.resolve("agent.json");
                Files.writeString(config, """
                        {"est": {"url": "%s", "trust": ["%s"]},
                         "idevid": {"pkcs11": {"library": "%s", "token": "device-se", "pin-file": "%s", "key-label": "idevid"}},
                         "state": "state",
                         "mqtt": [{"name": "first", "urls": ["%s"], "ca": "%s", "publish-topic": "devices/{device}/up",
                                   "publish-seconds": 0.2, "subscribe": ["devices/{device}/up"]},
                                  {"name": "second", "urls": ["%s"], "ca": "%s", "publish-topic": "devices/{device}/up",
                                   "publish-seconds": 0.2, "subscribe": ["devices/{device}/up"]}],
                         "https": [{"url": "%s", "ca": "%s", "every-seconds": 0.5}]}
                        """.formatted(server.url(), server.ca("root"), LIBRARY, pin, first.url(), server.ca("root"), second.url(), server.ca("root"),
                        web.url(), server.ca("root")));
                Result run = deviceRun(config, conf);
                assertTrue(run.err().contains("enrolled: LDevID serial"), run::toString);
                JsonNode summary = new ObjectMapper().readTree(run.out());
                assertEquals("DEV-SE-1", summary.get("device").asText());
                String serial = summary.get("serial").asText();
                // The same LDevID on both brokers and the web backend: every message acknowledged and received back.
                for (JsonNode link : summary.get("links")) {
                    assertTrue(link.get("published").asLong() >= 10, run::toString);
                    assertEquals(link.get("published").asLong(), link.get("received").asLong(), run::toString);
                    assertEquals(0, link.get("queued").asLong(), run::toString);
                }
                assertTrue(run.err().contains("first: connected to " + first.url()) && run.err().contains("second: connected to " + second.url()), run::toString);
                JsonNode https = summary.get("https").get(0);
                assertTrue(https.get("ok").asLong() >= 1 && https.get("lastStatus").asInt() == 200, run::toString);

                // Revoked, and every backend's bundle refreshed by the export: all three turn the LDevID away, and
                // mosquitto_pub with the same certificate is refused too.
                Cli.ok(server.data(), "revoke", serial, "--reason", "keyCompromise");
                first.refresh();
                second.refresh();
                web.refresh();
                Result after = deviceRun(config, conf);
                JsonNode refused = new ObjectMapper().readTree(after.out());
                assertEquals(serial, refused.get("serial").asText(), "the agent kept its LDevID: " + after);
                for (JsonNode link : refused.get("links")) {
                    assertEquals(0, link.get("connects").asLong(), after::toString);
                    assertTrue(link.get("lastError").asText().contains("certificate_revoked"), after::toString);
                }
                assertEquals(400, refused.get("https").get(0).get("lastStatus").asInt(), after::toString);
                Path current = dir.resolve("state/current");
                Peers.Result pub = Peers.run(dir, "mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(first.port()), "--cafile",
                        server.ca("root").toString(), "--cert", current.resolve("ldevid.pem").toString(), "--key", current.resolve("ldevid.key").toString(),
                        "-t", "devices/DEV-SE-1/up", "-q", "1", "-m", "revoked");
                assertNotEquals(0, pub.exit(), () -> "mosquitto_pub with a revoked certificate got in: " + pub.all() + first.log());
            }
            // A key label the token does not have: a one-line refusal naming what it has (exit 4), before any connection.
            Path wrongLabel = dir.resolve("wrong-label.json");
            Files.writeString(wrongLabel, Files.readString(dir.resolve("agent.json")).replace("\"key-label\": \"idevid\"", "\"key-label\": \"nope\"")
                    .replace("\"state\": \"state\"", "\"state\": \"state-2\""));
            Result refused = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), "io.hallmark.cli.Main", "device", "run", "--config", wrongLabel.toString()), conf);
            assertEquals(ExitCodes.NOT_FOUND, refused.exit(), refused::toString);
            assertTrue(refused.err().contains("PKCS#11 token 'device-se' has no key 'nope' with a certificate (keys with certificates: idevid)"), refused::toString);

            // The server saw the token's IDevID: the LDevID is for the device in the IDevID.
            String ldevid = Files.readString(dir.resolve("state/current/ldevid.pem"));
            assertTrue(ldevid.startsWith("-----BEGIN CERTIFICATE-----"));
        }
    }

    /** {@code hallmark device run} for a few seconds, in a process of its own (SoftHSM2 reads SOFTHSM2_CONF at load). */
    private Result deviceRun(Path config, Path conf) throws Exception {
        return exec(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.hallmark.cli.Main", "device", "run", "--config", config.toString(),
                "--duration", "6", "--json"), conf);
    }

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Result exec(List<String> command, Path conf) throws Exception {
        Result r = run(command, conf);
        assertEquals(0, r.exit(), () -> String.join(" ", command) + "\n" + r);
        return r;
    }

    private Result run(List<String> command, Path conf) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile());
        pb.environment().put("SOFTHSM2_CONF", conf.toString());
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(dir.resolve("stderr.txt")));
    }
}
