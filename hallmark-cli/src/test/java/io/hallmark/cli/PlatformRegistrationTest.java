package io.hallmark.cli;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cloud registration kits, checked as far as a machine without the cloud can: the verification certificate names
 * the platform's code as its CN, verifies with openssl against the CA alone, is an end entity with digitalSignature
 * only, lives a few days within the CA, and is in the inventory; bad codes and keyless CAs are refused in one line.
 */
class PlatformRegistrationTest {

    /** A registration code as 'aws iot get-registration-code' prints one: 64 hex characters. */
    static final String AWS_CODE = "a3f8c2e9b1d04f6a8e7c5b3d2f1e0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f";
    /** A verification code as the Azure docs show one. */
    static final String AZURE_CODE = "47292AB6260DB02CCD2D07C601B7303DD49858B6";

    @TempDir
    Path dir;
    Path data;

    @BeforeEach
    void setUp() {
        data = dir.resolve("data");
        Cli.ok(data, "init");
    }

    @Test
    void theAwsKitHoldsAVerificationCertificateForTheCodeThatOpensslVerifiesAgainstTheCaAlone() throws Exception {
        Path out = dir.resolve("aws");
        Cli.Run run = Cli.ok(data, "register", "aws", "--ca", "ldevid-ca", "--registration-code", AWS_CODE, "--out", out.toString());
        assertTrue(run.out().contains("CN=" + AWS_CODE), run::toString);
        for (String f : new String[]{"ca.pem", "verification.pem", "README.txt", "jitp-template.json", "registration-config.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertEquals(Files.readString(data.resolve("ca/ldevid-ca.pem")), Files.readString(out.resolve("ca.pem")), "the CA that signs devices");
        checkVerificationCertificate(out, AWS_CODE);

        String readme = Files.readString(out.resolve("README.txt"));
        assertTrue(readme.contains("aws iot register-ca-certificate \\\n    --ca-certificate file://ca.pem \\\n    --verification-certificate file://verification.pem \\\n"
                + "    --certificate-mode DEFAULT"), readme);
        assertTrue(readme.matches("(?s).*--certificate-mode SNI_ONLY.*") && !readme.substring(readme.indexOf("SNI_ONLY mode")).contains("verification-certificate file"), readme);
        // The template parses, declares only what Hallmark's certificates carry, and the config embeds it verbatim.
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var template = json.readTree(Files.readString(out.resolve("jitp-template.json")));
        java.util.Set<String> parameters = new java.util.HashSet<>();
        template.get("Parameters").fieldNames().forEachRemaining(parameters::add);
        assertEquals(java.util.Set.of("AWS::IoT::Certificate::SerialNumber", "AWS::IoT::Certificate::Id"), parameters);
        json.readTree(template.at("/Resources/policy/Properties/PolicyDocument").asText()); // the policy is JSON too
        var config = json.readTree(Files.readString(out.resolve("registration-config.json")));
        assertEquals(template, json.readTree(config.get("templateBody").asText()));

        // It is in the inventory, as something ldevid-ca signed, and audited.
        assertTrue(Cli.ok(data, "cert", "list", "--profile", "platform-verification").out().contains("ldevid-ca"));
        assertTrue(Cli.ok(data, "audit", "list", "--json").out().contains("platform-verification"));
    }

    @Test
    void theAzureKitHoldsTheProofOfPossessionAndTheAzCalls() throws Exception {
        Path out = dir.resolve("azure");
        Cli.ok(data, "register", "azure", "--ca", "idevid-ca", "--verification-code", AZURE_CODE, "--out", out.toString());
        checkVerificationCertificate(out, AZURE_CODE);
        assertEquals(Files.readString(data.resolve("ca/idevid-ca.pem")), Files.readString(out.resolve("ca.pem")));
        String readme = Files.readString(out.resolve("README.txt"));
        assertTrue(readme.contains("az iot dps certificate verify --dps-name DPS --resource-group RG --certificate-name idevid-ca --path verification.pem"), readme);
        assertTrue(readme.contains("az iot dps enrollment-group create --dps-name DPS --resource-group RG --enrollment-id idevid-ca-devices --ca-name idevid-ca"), readme);
    }

    @Test
    void codesThatAreNotThePlatformsAreRefusedInOneLineAndNothingIsSigned() throws Exception {
        int before = Cli.ok(data, "cert", "list", "--json").out().split("\"serial\"").length;
        for (String bad : new String[]{AWS_CODE.substring(1), AWS_CODE + "0", AWS_CODE.replace('a', 'g'), "CN=" + AWS_CODE}) {
            Cli.Run r = Cli.run(data, "register", "aws", "--registration-code", bad, "--out", dir.resolve("bad").toString());
            assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
            assertEquals(1, r.err().lines().count(), r::toString);
            assertTrue(r.err().contains("must be 64 hexadecimal characters"), r::toString);
        }
        Cli.Run azure = Cli.run(data, "register", "azure", "--verification-code", "47292AB6 260D", "--out", dir.resolve("bad").toString());
        assertEquals(ExitCodes.BAD_INPUT, azure.exit(), azure::toString);
        Cli.Run longer = Cli.run(data, "register", "azure", "--verification-code", "A".repeat(100), "--out", dir.resolve("bad").toString());
        assertEquals(ExitCodes.BAD_INPUT, longer.exit(), longer::toString);
        assertTrue(longer.err().contains("got 100 characters"), longer::toString);
        Cli.Run unknown = Cli.run(data, "register", "aws", "--ca", "no-such-ca", "--registration-code", AWS_CODE, "--out", dir.resolve("bad").toString());
        assertEquals(ExitCodes.NOT_FOUND, unknown.exit(), unknown::toString);
        assertFalse(Files.exists(dir.resolve("bad")), "no kit for a refusal");
        assertEquals(before, Cli.ok(data, "cert", "list", "--json").out().split("\"serial\"").length, "nothing signed");
    }

    /** CN = code; openssl -partial_chain with the CA alone; end entity, digitalSignature, no EKU; days, not years, within the CA. */
    private void checkVerificationCertificate(Path out, String code) throws Exception {
        Peers.tool("openssl");
        Peers.Result verify = Peers.run(out, "openssl", "verify", "-partial_chain", "-CAfile", "ca.pem", "verification.pem");
        assertEquals(0, verify.exit(), verify::all);
        assertTrue(verify.out().contains("verification.pem: OK"), verify::all);
        Peers.Result subject = Peers.run(out, "openssl", "x509", "-in", "verification.pem", "-noout", "-subject", "-nameopt", "RFC2253");
        assertEquals("subject=CN=" + code, subject.out().strip());
        Peers.Result text = Peers.run(out, "openssl", "x509", "-in", "verification.pem", "-noout", "-text");
        assertTrue(text.out().matches("(?s).*X509v3 Key Usage: critical\\s+Digital Signature\\n.*"), text.out());
        assertFalse(text.out().contains("Extended Key Usage") || text.out().contains("CA:TRUE"), text.out());
        Peers.Result dates = Peers.run(out, "openssl", "x509", "-in", "verification.pem", "-noout", "-startdate", "-enddate");
        Peers.Result caEnd = Peers.run(out, "openssl", "x509", "-in", "ca.pem", "-noout", "-enddate");
        Instant start = date(dates.out(), "notBefore");
        Instant end = date(dates.out(), "notAfter");
        assertTrue(Duration.between(start, end).compareTo(Duration.ofDays(7)) <= 0 && end.isAfter(Instant.now().plus(Duration.ofDays(6))), dates.out());
        assertFalse(end.isAfter(date(caEnd.out(), "notAfter")), "within the CA's validity");
        assertTrue(Math.abs(Duration.between(start, Instant.now()).toMinutes()) < 5, dates.out());
    }

    private static Instant date(String openssl, String field) {
        String line = openssl.lines().filter(l -> l.startsWith(field + "=")).findFirst().orElseThrow().substring(field.length() + 1).strip();
        return java.time.ZonedDateTime.parse(line.replaceAll(" +", " "), DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy z", Locale.ROOT))
                .withZoneSameInstant(ZoneOffset.UTC).toInstant();
    }
}
