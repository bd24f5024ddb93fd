package io.hallmark.cli;

import io.hallmark.core.ca.VerificationCertificates;
import io.hallmark.core.ca.VerificationCertificates.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "aws", description = {"AWS IoT Core: register a Hallmark CA (bring your own CA).",
        "Writes DIR/ca.pem; DIR/verification.pem, whose subject CN is the registration code ('aws iot get-registration-code'), signed "
                + "by the CA's key in its vault (software or PKCS#11); DIR/jitp-template.json and DIR/registration-config.json for "
                + "just-in-time provisioning of devices whose certificates chain to the CA; and DIR/README.txt with the exact "
                + "'aws iot register-ca-certificate' calls for DEFAULT mode and for SNI_ONLY mode (no verification certificate).",
        "Register the CA that signs the device certificates (ldevid-ca by default), not its root: AWS matches the device certificate's issuer."})
final class RegisterAwsCommand implements Callable<Integer> {

    @ParentCommand
    RegisterCommand register;
    @Option(names = "--ca", defaultValue = "ldevid-ca", paramLabel = "NAME", description = "The CA that signs the devices' certificates (default ${DEFAULT-VALUE}).")
    String ca;
    @Option(names = "--registration-code", required = true, paramLabel = "CODE", description = "The 64 hexadecimal characters 'aws iot get-registration-code' prints.")
    String code;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the kit (created if missing).")
    Path out;
    @Option(names = "--role-arn", defaultValue = "arn:aws:iam::ACCOUNT:role/JITPRole", paramLabel = "ARN",
            description = "IAM role AWS IoT assumes to provision devices just in time (written into registration-config.json; default a placeholder).")
    String roleArn;

    @Override
    public Integer call() {
        RegisterCommand.writeKit(register.root.open(), ca, Platform.AWS, code, out, this::texts);
        System.out.println("next: see " + out.resolve("README.txt") + " (DEFAULT mode: aws iot register-ca-certificate --ca-certificate file://ca.pem"
                + " --verification-certificate file://verification.pem ...)");
        return 0;
    }

    private Map<String, String> texts(VerificationCertificates.Proof proof) {
        String template = jitpTemplate();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("jitp-template.json", template);
        files.put("registration-config.json", "{\n  \"templateBody\": " + RegisterCommand.jsonString(template) + ",\n  \"roleArn\": "
                + RegisterCommand.jsonString(roleArn) + "\n}\n");
        files.put("README.txt", readme(proof));
        return files;
    }

    /**
     * Just-in-time provisioning: a thing named by the device certificate's subject serialNumber (Hallmark puts the device
     * id there), the certificate activated, and a policy letting the device use its own client id and topics. JITP fails
     * for a certificate lacking a declared parameter, so only what Hallmark's device certificates always carry is declared.
     */
    static String jitpTemplate() {
        return """
                {
                  "Parameters": {
                    "AWS::IoT::Certificate::SerialNumber": { "Type": "String" },
                    "AWS::IoT::Certificate::Id": { "Type": "String" }
                  },
                  "Resources": {
                    "thing": {
                      "Type": "AWS::IoT::Thing",
                      "Properties": {
                        "ThingName": { "Ref": "AWS::IoT::Certificate::SerialNumber" },
                        "AttributePayload": { "identity": "hallmark" }
                      }
                    },
                    "certificate": {
                      "Type": "AWS::IoT::Certificate",
                      "Properties": {
                        "CertificateId": { "Ref": "AWS::IoT::Certificate::Id" },
                        "Status": "ACTIVE"
                      }
                    },
                    "policy": {
                      "Type": "AWS::IoT::Policy",
                      "Properties": {
                        "PolicyDocument": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"iot:Connect\\",\\"Resource\\":\\"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}\\"},{\\"Effect\\":\\"Allow\\",\\"Action\\":[\\"iot:Publish\\",\\"iot:Receive\\"],\\"Resource\\":\\"arn:aws:iot:*:*:topic/devices/${iot:Connection.Thing.ThingName}/*\\"},{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"iot:Subscribe\\",\\"Resource\\":\\"arn:aws:iot:*:*:topicfilter/devices/${iot:Connection.Thing.ThingName}/*\\"}]}"
                      }
                    }
                  }
                }
                """;
    }

    private String readme(VerificationCertificates.Proof proof) {
        return """
                AWS IoT Core registration kit for Hallmark CA %s
                  subject: %s
                  verification certificate: CN=<the registration code>, valid until %s

                Files
                  ca.pem                    the CA certificate (the CA that signs the device certificates)
                  verification.pem          proof of possession: CN = registration code, signed by the CA's key
                  jitp-template.json        just-in-time provisioning template (thing named by the certificate's serialNumber)
                  registration-config.json  the template and the role ARN, as --registration-config takes them

                DEFAULT mode (one AWS account per Region may register this CA; proves the key with verification.pem):

                  aws iot register-ca-certificate \\
                    --ca-certificate file://ca.pem \\
                    --verification-certificate file://verification.pem \\
                    --certificate-mode DEFAULT \\
                    --set-as-active \\
                    --allow-auto-registration \\
                    --registration-config file://registration-config.json

                SNI_ONLY mode (several accounts may register the same CA; no verification certificate; devices must send
                SNI with the account's endpoint when they connect):

                  aws iot register-ca-certificate \\
                    --ca-certificate file://ca.pem \\
                    --certificate-mode SNI_ONLY \\
                    --set-as-active

                Check the verification certificate first (it must chain to the CA alone):

                  openssl verify -partial_chain -CAfile ca.pem verification.pem

                The registration code is valid for the account and Region that printed it ('aws iot get-registration-code').
                AWS accepts at most 10 CA certificates with the same subject per account. AWS IoT Core checks neither CRLs
                nor OCSP for device certificates: revoke a device in Hallmark and set its certificate REVOKED in AWS too
                ('aws iot update-certificate --certificate-id ID --new-status REVOKED'). See docs/platforms.md.
                """.formatted(proof.ca().name(), proof.ca().subject(), proof.verification().getNotAfter().toInstant());
    }
}
