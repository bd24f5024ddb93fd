package io.hallmark.device.run;

import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The agent's configuration file: YAML and JSON read alike, paths relative to the file, mistakes named in one line. */
class AgentConfigTest {

    @TempDir
    Path dir;

    private static final String MINIMAL = """
            est: {url: "https://est.example.com:8443", trust: [root.pem]}
            idevid: {cert: idevid.pem, key: idevid.key}
            state: state
            mqtt:
              - urls: ["ssl://a.example.com:8883", "ssl://b.example.com:8883"]
                ca: broker-ca.pem
                publish-topic: "devices/{device}/up"
            """;

    @Test
    void yamlAndJsonReadAlikeWithPathsRelativeToTheFile() throws Exception {
        AgentConfig yaml = AgentConfig.read(write("agent.yaml", MINIMAL));
        AgentConfig json = AgentConfig.read(write("agent.json", """
                {"est": {"url": "https://est.example.com:8443", "trust": ["root.pem"]},
                 "idevid": {"cert": "idevid.pem", "key": "idevid.key"}, "state": "state",
                 "mqtt": [{"urls": ["ssl://a.example.com:8883", "ssl://b.example.com:8883"], "ca": "broker-ca.pem",
                           "publish-topic": "devices/{device}/up"}]}
                """));
        assertEquals(yaml, json);
        assertEquals(dir.resolve("root.pem"), yaml.est().trust().getFirst());
        assertEquals(dir.resolve("state"), yaml.state());
        assertEquals(dir.resolve("idevid.key"), yaml.idevid().key());
        AgentConfig.MqttGroup group = yaml.mqtt().getFirst();
        assertEquals(List.of("ssl://a.example.com:8883", "ssl://b.example.com:8883"), group.urls());
        assertEquals("ssl://a.example.com:8883", group.name(), "a backend without a name is called by its first URL");
        assertEquals(dir.resolve("broker-ca.pem"), group.ca());
        assertEquals(0.66, yaml.renewal().shareOrDefault());
        assertEquals(60, yaml.renewal().checkSecondsOrDefault());
    }

    @Test
    void mistakesAreNamedInOneLine() throws Exception {
        assertRefused(MINIMAL.replace("publish-topic", "publish-topik"), "Unrecognized field \"publish-topik\"");
        assertRefused(MINIMAL.replace("ssl://a.example.com:8883", "tcp://a.example.com:1883"),
                "mqtt URL 'tcp://a.example.com:1883' must be ssl://host:port");
        assertRefused(MINIMAL.replace("    ca: broker-ca.pem\n", ""), "needs 'ca'");
        assertRefused(MINIMAL.replace("\"devices/{device}/up\"", "devices/{device}/up").replace("publish-topic: devices", "subscribe: [devices"),
                "is not a valid agent configuration");
        assertRefused(MINIMAL + "    qos: 3\n", "mqtt qos must be 0, 1 or 2, got 3");
        assertRefused(MINIMAL.replace("state: state\n", ""), "needs 'state'");
        assertRefused(MINIMAL.substring(0, MINIMAL.indexOf("mqtt:")), "names no endpoint");
        HallmarkException missing = assertThrows(HallmarkException.class, () -> AgentConfig.read(dir.resolve("nope.yaml")));
        assertEquals(HallmarkException.Kind.NOT_FOUND, missing.kind());
    }

    @Test
    void idevidNeedsExactlyOneForm() throws Exception {
        AgentConfig both = AgentConfig.read(write("both.yaml", MINIMAL.replace("idevid: {cert: idevid.pem, key: idevid.key}",
                "idevid: {cert: idevid.pem, key: idevid.key, p12: idevid.p12}")));
        HallmarkException e = assertThrows(HallmarkException.class, () -> IdevidLoader.load(both.idevid()));
        assertEquals("idevid: give exactly one of cert + key, p12 + p12-password-file, or pkcs11", e.getMessage());
        AgentConfig none = AgentConfig.read(write("none.yaml", MINIMAL.replace("idevid: {cert: idevid.pem, key: idevid.key}\n", "")));
        assertThrows(HallmarkException.class, () -> IdevidLoader.load(none.idevid()));
    }

    private void assertRefused(String yaml, String expected) throws Exception {
        Path file = write("bad.yaml", yaml);
        HallmarkException e = assertThrows(HallmarkException.class, () -> AgentConfig.read(file));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
