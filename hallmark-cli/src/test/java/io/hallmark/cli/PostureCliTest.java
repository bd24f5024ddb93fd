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

        // The certificates' own keys count: RSA-2048 keys (strength 0.4) pull crypto agility down, P-384 keys (1) push it up.
        JsonNode before = posture();
        assertAgilityFollowsFormula(before);
        issue("RSA", 5, "rsa-2048");
        JsonNode rsa = posture();
        assertAgilityFollowsFormula(rsa);
        assertEquals(evidence(before, "certificates.rsa-2048") + 5, evidence(rsa, "certificates.rsa-2048"), rsa::toString);
        assertTrue(score(rsa, "crypto-agility") < score(before, "crypto-agility"), rsa::toString);
        issue("P384", 5, "ec-p384");
        JsonNode p384 = posture();
        assertAgilityFollowsFormula(p384);
        assertTrue(score(p384, "crypto-agility") > score(rsa, "crypto-agility"), p384::toString);
        // Marking rsa-2048 deprecated makes it count 0, for those certificates and for the CA whose key it is.
        assertEquals(0, Main.run("--data", data, "inventory", "deprecate", "rsa-2048"));
        JsonNode deprecated = posture();
        assertAgilityFollowsFormula(deprecated);
        assertEquals(evidence(deprecated, "certificates.rsa-2048"), evidence(deprecated, "validOnDeprecated"), "the five and ldevid-ca's OCSP responder");
        assertTrue(score(deprecated, "crypto-agility") < score(p384, "crypto-agility"), deprecated::toString);
        assertEquals(0, Main.run("--data", data, "inventory", "undeprecate", "rsa-2048"));

        // Telemetry coverage: the devices issued a certificate just now were seen; the factory's were not (yet).
        JsonNode seen = posture();
        JsonNode t = axis(seen, "telemetry-coverage").path("evidence");
        long seenDevices = JSON.readTree(FactoryCliTest.capture(() -> Main.run("--data", data, "inventory", "--seen-within", "30d", "--json"), true))
                .findValuesAsText("device").stream().distinct().count();
        assertEquals(seenDevices, t.path("seenWithin30d").asLong(), t::toString);
        assertEquals(10, seenDevices, "the ten devices issued an LDevID here");
        assertEquals(Math.round(100.0 * seenDevices / t.path("live").asLong()), score(seen, "telemetry-coverage"), t::toString);

        // Revoking the RSA certificates takes them out of the valid count again.
        List<String> serials = JSON.readTree(FactoryCliTest.capture(() -> Main.run("--data", data, "inventory", "--algorithm", "rsa-2048",
                "--profile", "ldevid", "--status", "valid", "--json"), true)).findValuesAsText("serial");
        assertEquals(5, serials.size(), serials::toString);
        for (String serial : serials) assertEquals(0, Main.run("--data", data, "revoke", serial, "--reason", "superseded"), serial);
        JsonNode revoked = posture();
        assertEquals(evidence(before, "certificates.rsa-2048"), evidence(revoked, "certificates.rsa-2048"));
        assertAgilityFollowsFormula(revoked);

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

    /** The crypto-agility formula of docs/console.md, recomputed from the axis's own evidence. */
    private static void assertAgilityFollowsFormula(JsonNode report) {
        JsonNode ev = axis(report, "crypto-agility").path("evidence");
        Map<String, Double> strength = Map.of("ec-p384", 1.0, "ec-p256", 0.9, "rsa-2048", 0.4);
        List<String> deprecated = List.of(ev.path("deprecated").asText().split(","));
        double certificates = 0, valid = 0, cas = 0, caCount = 0;
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) ev::fields) {
            String name = field.getKey();
            long n = field.getValue().asLong();
            if (name.startsWith("certificates.")) {
                String alg = name.substring("certificates.".length());
                certificates += (deprecated.contains(alg) ? 0 : strength.get(alg)) * n;
                valid += n;
            } else if (name.startsWith("cas.")) {
                String alg = name.substring("cas.".length());
                cas += (deprecated.contains(alg) ? 0 : strength.get(alg)) * n;
                caCount += n;
            }
        }
        assertEquals(4, caCount, ev::toString);
        assertEquals(2, ev.path("caAlgorithmFamilies").asInt(), ev::toString);
        assertEquals(0, ev.path("postQuantumCertificates").asInt(), ev::toString);
        assertEquals(Math.round(60 * certificates / valid + 20 * cas / caCount + 10), score(report, "crypto-agility"), ev::toString);
    }

    private void issue(String prefix, int count, String algorithm) {
        for (int i = 0; i < count; i++) {
            assertEquals(0, Main.run("--data", data, "issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--key-algorithm", algorithm,
                    "--serial-number", prefix + "-" + i, "--out", dir.resolve(prefix + i + ".pem").toString()));
        }
    }

    private static long evidence(JsonNode report, String name) {
        return axis(report, "crypto-agility").path("evidence").path(name).asLong();
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
