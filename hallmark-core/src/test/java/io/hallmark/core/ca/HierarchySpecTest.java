package io.hallmark.core.ca;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.ProfileKind;
import io.hallmark.core.profile.Validity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HierarchySpecTest {

    private static HierarchySpec parse(String yaml) {
        return HierarchySpec.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    private static String rejected(String yaml) {
        HallmarkException e = assertThrows(HallmarkException.class, () -> parse(yaml));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("test.yaml"), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void defaultsHaveARootThatNeverExpiresAndTheDeviceCas() {
        HierarchySpec spec = HierarchySpec.defaults();
        List<String> names = spec.cas().stream().map(CaSpec::name).toList();
        assertTrue(names.containsAll(List.of("root", "idevid-ca", "ldevid-ca")), names.toString());
        assertEquals("root", names.get(0));

        CaSpec root = spec.cas().get(0);
        assertNull(root.parent());
        assertTrue(root.validity().forever());
        assertEquals(1, root.pathLen());
        assertEquals(KeyAlgorithm.EC_P384, root.algorithm());

        CaSpec idevidCa = spec.cas().stream().filter(c -> c.name().equals("idevid-ca")).findFirst().orElseThrow();
        assertEquals("root", idevidCa.parent());
        assertTrue(idevidCa.validity().forever(), "IDevIDs never expire, so neither may their CA");
        assertEquals(0, idevidCa.pathLen());
        assertEquals(List.of("idevid"), idevidCa.profiles());

        CaSpec ldevidCa = spec.cas().stream().filter(c -> c.name().equals("ldevid-ca")).findFirst().orElseThrow();
        assertEquals(List.of("ldevid"), ldevidCa.profiles());
        assertEquals(Validity.parse("10y"), ldevidCa.validity());
    }

    @Test
    void fillsInDefaults() {
        HierarchySpec spec = parse("""
                cas:
                  - name: r
                    subject: "CN=R"
                  - name: i
                    parent: r
                    subject: "CN=I"
                    algorithm: ed25519
                """);
        assertEquals(KeyAlgorithm.EC_P256, spec.cas().get(0).algorithm());
        assertEquals(Duration.ofDays(20 * 365), spec.cas().get(0).validity().duration());
        assertEquals(1, spec.cas().get(0).pathLen());
        assertEquals(0, spec.cas().get(1).pathLen());
        assertEquals(KeyAlgorithm.ED25519, spec.cas().get(1).algorithm());
        assertEquals(List.of(), spec.profiles());
    }

    @Test
    void readsProfileDefinitions() {
        HierarchySpec spec = parse("""
                cas:
                  - name: r
                    subject: "CN=R"
                profiles:
                  - name: ldevid
                    kind: end-entity
                    validity: 90d
                    keyUsage: [digitalSignature]
                    extendedKeyUsage: [clientAuth]
                    hardwareModuleName: optional
                    keys: {allowed: [ec-p256, ec-p384], minRsaBits: 3072}
                """);
        Profile p = spec.profiles().get(0);
        assertEquals(ProfileKind.END_ENTITY, p.kind());
        assertEquals(Duration.ofDays(90), p.validity().duration());
        assertEquals(Profile.Presence.optional, p.hardwareModuleName());
        assertEquals(Set.of("ec-p256", "ec-p384"), p.keys().allowed());
        assertEquals(3072, p.keys().minRsaBits());
    }

    @Test
    void keyPolicyFieldsMayBeLeftOut() {
        HierarchySpec spec = parse("""
                cas:
                  - name: r
                    subject: "CN=R"
                profiles:
                  - name: ec-only
                    kind: end-entity
                    keyUsage: [digitalSignature]
                    keys: {allowed: [ec-p256]}
                  - name: strong-rsa
                    kind: end-entity
                    keyUsage: [digitalSignature]
                    keys: {minRsaBits: 3072}
                """);
        assertEquals(Set.of("ec-p256"), spec.profiles().get(0).keys().allowed());
        assertEquals(2048, spec.profiles().get(0).keys().minRsaBits());
        assertEquals(3072, spec.profiles().get(1).keys().minRsaBits());
        assertTrue(spec.profiles().get(1).keys().allowed().contains("rsa"));
    }

    @Test
    void rejectsAnUnknownParent() {
        String message = rejected("""
                cas:
                  - name: issuing
                    parent: nowhere
                    subject: "CN=Issuing"
                """);
        assertTrue(message.contains("issuing") && message.contains("'nowhere'") && message.contains("not defined"), message);
    }

    @Test
    void rejectsAChildListedBeforeItsParent() {
        String message = rejected("""
                cas:
                  - name: issuing
                    parent: root
                    subject: "CN=Issuing"
                  - name: root
                    subject: "CN=Root"
                """);
        assertTrue(message.contains("not defined before it"), message);
    }

    @Test
    void rejectsADuplicateName() {
        String message = rejected("""
                cas:
                  - name: root
                    subject: "CN=Root"
                  - name: root
                    subject: "CN=Root 2"
                """);
        assertTrue(message.contains("root") && message.contains("defined twice"), message);
    }

    @Test
    void rejectsAnUnknownAlgorithm() {
        String message = rejected("""
                cas:
                  - name: root
                    subject: "CN=Root"
                    algorithm: ec-p999
                """);
        assertTrue(message.contains("ec-p999") && message.contains(KeyAlgorithm.known()), message);
    }

    @Test
    void rejectsAnUnknownField() {
        String message = rejected("""
                cas:
                  - name: root
                    subject: "CN=Root"
                    colour: red
                """);
        assertTrue(message.contains("colour"), message);
    }

    @Test
    void rejectsABadValidity() {
        assertTrue(rejected("""
                cas:
                  - name: root
                    subject: "CN=Root"
                    validity: 0d
                """).contains("0d"));
    }

    @Test
    void rejectsAnEmptyHierarchyAndBadNames() {
        assertTrue(rejected("cas: []\n").contains("no CA"));
        assertTrue(rejected("""
                cas:
                  - name: Root CA
                    subject: "CN=Root"
                """).contains("'Root CA'"));
        assertTrue(rejected("""
                cas:
                  - name: root
                """).contains("needs a subject"));
    }

    @Test
    void rejectsATypoInAProfile() {
        String message = rejected("""
                cas:
                  - name: r
                    subject: "CN=R"
                profiles:
                  - name: p
                    kind: end-entity
                    keyUsage: [digitalSignatur]
                """);
        assertTrue(message.contains("digitalSignatur"), message);
    }

    @Test
    void rejectsMalformedYaml() {
        assertTrue(rejected("cas: [\n").contains("not a valid hierarchy file"));
    }
}
