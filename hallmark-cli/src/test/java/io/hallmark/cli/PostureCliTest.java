package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The radar follows the store: devices moved between key storages and CA algorithms move the scores as the formulas say. */
class PostureCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String data;
    private int devices;

    @Test
    void scoresFollowTheFleetAndWhatIfWritesNothing() throws Exception {
        data = dir.resolve("data").toString();
        Path hierarchy = dir.resolve("h.yaml");
        Files.writeString(hierarchy, """
                cas:
                  - {name: root, subject: "CN=T Root,O=T", algorithm: ec-p384, validity: forever, pathLen: 1}
                  - {name: idevid-ca, parent: root, subject: "CN=T IDevID,O=T", algorithm: ec-p256, validity: forever, profiles: [idevid]}
                  - {name: ldevid-ca, parent: root, subject: "CN=T LDevID,O=T", algorithm: rsa-2048, validity: 10y, profiles: [ldevid]}
                  - {name: clients-ca, parent: root, subject: "CN=T Clients,O=T", algorithm: ec-p256, validity: 10y, profiles: [client, server]}
                """);
        assertEquals(0, Main.run("--data", data, "init", "--hierarchy", hierarchy.toString()));

        JsonNode empty = posture();
        assertEquals(0, score(empty, "hardware-device-keys"), "no devices: nothing hardware-backed");
        assertEquals(0, score(empty, "ca-key-custody"), "every key in the software vault");

        batch(4, "software");
        assertEquals(0, score(posture(), "hardware-device-keys"));
        batch(4, "secure-element");
        JsonNode half = posture();
        assertEquals(50, score(half, "hardware-device-keys"));
        assertEquals(4, axis(half, "hardware-device-keys").path("evidence").path("secure-element").asLong());
        batch(2, "tpm");
        assertEquals(60, score(posture(), "hardware-device-keys"), "(4 secure-element + 2 tpm) / 10");

        // Certificates signed with RSA-2048 (strength 0.4) pull crypto agility down from where EC alone had it.
        JsonNode before = posture();
        assertAgilityFollowsFormula(before);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, Main.run("--data", data, "issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key",
                    "--serial-number", "LD-" + i, "--out", dir.resolve("ld" + i + ".pem").toString()));
        }
        JsonNode after = posture();
        assertAgilityFollowsFormula(after);
        assertEquals(axis(before, "crypto-agility").path("evidence").path("rsa-2048").asLong() + 5,
                axis(after, "crypto-agility").path("evidence").path("rsa-2048").asLong());
        assertTrue(score(after, "crypto-agility") < score(before, "crypto-agility"), after::toString);

        // Revoking the RSA certificates takes them out of the valid count again.
        List<String> rsa = JSON.readTree(FactoryCliTest.capture(() -> Main.run("--data", data, "cert", "list", "--ca", "ldevid-ca", "--json"), true))
                .findValuesAsText("serial");
        assertEquals(5, rsa.size(), rsa::toString);
        for (String serial : rsa) assertEquals(0, Main.run("--data", data, "revoke", serial, "--reason", "superseded"), serial);
        assertEquals(score(before, "crypto-agility"), score(posture(), "crypto-agility"));

        // What-if: the scores move, the store does not.
        var snapshot = InstallationSnapshot.of(Path.of(data), null);
        JsonNode whatIf = posture("--what-if", "hardware-keys=90%", "--what-if", "root-in-hsm=true");
        assertEquals(90, score(whatIf, "hardware-device-keys"));
        assertEquals(40, score(whatIf, "ca-key-custody"), "root weighs 2 of 5");
        assertEquals(Map.of("hardware-keys", "90%", "root-in-hsm", "true"), JSON.convertValue(whatIf.path("whatIf"), Map.class));
        assertEquals(snapshot, InstallationSnapshot.of(Path.of(data), null), "what-if wrote nothing");
        assertEquals(60, score(posture(), "hardware-device-keys"), "the real fleet again");

        assertEquals(ExitCodes.BAD_INPUT, Main.run("--data", data, "report", "posture", "--what-if", "hardware-keys=140%"));
        assertEquals(ExitCodes.BAD_INPUT, Main.run("--data", data, "report", "posture", "--what-if", "nonsense"));
    }

    private static void assertAgilityFollowsFormula(JsonNode report) {
        JsonNode ev = axis(report, "crypto-agility").path("evidence");
        Map<String, Double> strength = Map.of("ec-p384", 1.0, "ec-p256", 0.9, "rsa-2048", 0.4);
        double sum = 0, n = 0;
        for (var e : strength.entrySet()) {
            sum += e.getValue() * ev.path(e.getKey()).asLong();
            n += ev.path(e.getKey()).asLong();
        }
        assertEquals(2, ev.path("caAlgorithmFamilies").asInt(), ev::toString);
        assertEquals(Math.round(80 * sum / n + 20), score(report, "crypto-agility"), ev::toString);
    }

    private void batch(int count, String keyStorage) throws Exception {
        Path csrs = Files.createDirectories(dir.resolve("csrs-" + keyStorage));
        for (int i = 0; i < count; i++) FactoryCliTest.writeCsr(csrs.resolve("DEV-" + (devices++) + ".csr"));
        assertEquals(0, Main.run("--data", data, "factory", "run", "--csr-dir", csrs.toString(), "--key-storage", keyStorage,
                "--out", dir.resolve("out-" + keyStorage).toString()));
    }

    private JsonNode posture(String... whatIf) throws Exception {
        List<String> args = new ArrayList<>(List.of("--data", data, "report", "posture", "--json"));
        args.addAll(List.of(whatIf));
        int[] exit = {-1};
        String out = FactoryCliTest.capture(() -> exit[0] = Main.run(args.toArray(String[]::new)), true);
        assertEquals(0, exit[0], out);
        JsonNode report = JSON.readTree(out);
        int sum = 0;
        for (JsonNode a : report.path("axes")) {
            sum += a.path("score").asInt();
            assertTrue(!a.path("formula").asText().isEmpty() && a.has("evidence"), a::toString);
        }
        assertTrue(report.path("axes").size() >= 6);
        assertEquals(Math.round((double) sum / report.path("axes").size()), report.path("overall").asInt());
        return report;
    }

    private static JsonNode axis(JsonNode report, String name) {
        for (JsonNode a : report.path("axes")) if (a.path("name").asText().equals(name)) return a;
        throw new AssertionError("no axis " + name + " in " + report);
    }

    private static int score(JsonNode report, String name) {
        return axis(report, name).path("score").asInt();
    }
}
