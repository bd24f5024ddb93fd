package io.hallmark.core.profile;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.ca.HierarchySpec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The profile fields a hierarchy file may declare beyond keyUsage and EKU, and their checks when the file is read. */
public class ProfileFieldsTest {

    public static final String MATTER_LIKE = """
            cas:
              - name: root
                subject: "CN=Root"
            profiles:
              - name: dac
                kind: end-entity
                validity: forever
                keyUsage: [digitalSignature]
                subject:
                  closed: true
                  attributes:
                    - {type: commonName, presence: optional}
                    - {type: serialNumber, presence: optional}
                    - {type: 1.3.6.1.4.1.37244.2.1, presence: required, stringType: utf8, minLength: 4, maxLength: 4}
                    - {type: organizationName, presence: fixed, value: Example}
                subjectAltNames: {allowed: [dns], required: [dns]}
                basicConstraints: {critical: true}
                certificatePolicies:
                  - {oid: 1.3.6.1.4.1.99999.7.1, cpsUri: "https://pki.example.com/cps"}
                critical: [extendedKeyUsage]
                extendedKeyUsage: [clientAuth]
            """;

    private static HierarchySpec parse(String yaml) {
        return HierarchySpec.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    private static String rejected(String yaml) {
        HallmarkException e = assertThrows(HallmarkException.class, () -> parse(yaml));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("test.yaml"), "names the file: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    /** The profile {@link #MATTER_LIKE} declares: subject template, DNS SAN, critical cA=FALSE, a policy, critical EKU. */
    public static Profile matterLike() {
        return parse(MATTER_LIKE).profiles().getFirst();
    }

    /** The same without subjectAltNames: every feature the batch template covers. */
    public static Profile matterLikeCovered() {
        return parse(MATTER_LIKE.replace("subjectAltNames: {allowed: [dns], required: [dns]}", "")).profiles().getFirst();
    }

    @Test
    void readsEveryNewField() {
        Profile p = matterLike();
        assertEquals(4, p.subject().attributes().size());
        assertTrue(p.subject().closed());
        assertEquals(List.of(SubjectAltNameType.dns), p.subjectAltNames().required());
        assertTrue(p.basicConstraints().present());
        assertTrue(p.basicConstraints().critical());
        assertEquals("1.3.6.1.4.1.99999.7.1", p.certificatePolicies().getFirst().oid());
        assertEquals(List.of("extendedKeyUsage"), p.critical());
    }

    @Test
    void theSubjectRulesAcceptTheDeclaredOidWithItsBoundAndStillRefuseOthers() {
        SubjectRules rules = matterLike().subjectRules();
        SubjectAttribute vid = rules.attribute(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.37244.2.1"));
        assertEquals(4, vid.maxLength());
        assertEquals(List.of(SubjectStringType.UTF8), vid.encodings());
        assertThrows(IllegalArgumentException.class, () -> rules.attribute(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.37244.2.2")));
        // A profile that declares nothing keeps exactly the X.520 rules.
        assertEquals(SubjectRules.X520, Profiles.IDEVID.subjectRules());
    }

    @Test
    void storedJsonRoundTripsAndIsUnchangedForProfilesThatDeclareNothing() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        Profile p = matterLike();
        assertEquals(p, json.readValue(json.writeValueAsString(p), Profile.class));
        // What is stored for a profile without the new fields: the same keys as before they existed.
        assertEquals(List.of("name", "kind", "validity", "keyUsage", "extendedKeyUsage", "requireSerialNumber", "onePerDevice",
                "hardwareModuleName", "keys"), iterable(json.readTree(json.writeValueAsString(Profiles.IDEVID)).fieldNames()));
        assertEquals(List.of("allowed", "minRsaBits"), iterable(json.readTree(json.writeValueAsString(Profiles.IDEVID)).get("keys").fieldNames()));
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void refusesMistakesWhenTheFileIsRead() {
        assertTrue(rejected(MATTER_LIKE.replace("type: 1.3.6.1.4.1.37244.2.1, presence: required, stringType: utf8, minLength: 4, maxLength: 4",
                "type: 1.3.6.1.4.1.37244.2.1, presence: required")).contains("maxLength"));
        assertTrue(rejected(MATTER_LIKE.replace("stringType: utf8", "stringType: bmp")).contains("bmp"));
        assertTrue(rejected(MATTER_LIKE.replace("{type: organizationName, presence: fixed, value: Example}",
                "{type: organizationName, presence: fixed}")).contains("value"));
        assertTrue(rejected(MATTER_LIKE.replace("{type: commonName, presence: optional}", "{type: commonName, presence: optional, maxLength: 65}"))
                .contains("64"));
        assertTrue(rejected(MATTER_LIKE.replace("type: commonName", "type: cn2")).contains("cn2"));
        assertTrue(rejected(MATTER_LIKE.replace("oid: 1.3.6.1.4.1.99999.7.1", "oid: policy-one")).contains("policy-one"));
        assertTrue(rejected(MATTER_LIKE.replace("critical: [extendedKeyUsage]", "critical: [keyUsage]")).contains("keyUsage"));
        assertTrue(rejected(MATTER_LIKE.replace("allowed: [dns]", "allowed: [hardwareModuleName]")).contains("hardwareModuleName"));
        assertTrue(rejected(MATTER_LIKE.replace("required: [dns]", "required: [uri]")).contains("uri"));
        assertTrue(rejected(MATTER_LIKE.replace("kind: end-entity", "kind: issuing-ca")).contains("end-entity"));
        assertTrue(rejected(MATTER_LIKE.replace("https://pki.example.com/cps", "pki example")).contains("cpsUri"));
        assertTrue(rejected(MATTER_LIKE.replace("keyUsage: [digitalSignature]", "keyUsage: [digitalSignature]\n    keys: {signatureAlgorithms: [sha1WithRSA]}"))
                .contains("unknown signature algorithm 'sha1WithRSA'"));
    }
}
