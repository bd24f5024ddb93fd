package io.hallmark.cli;

import io.hallmark.core.ca.VerificationCertificates;
import io.hallmark.core.ca.VerificationCertificates.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "azure", description = {"Azure IoT Hub Device Provisioning Service (and IoT Hub): proof of possession of a Hallmark CA.",
        "Writes DIR/ca.pem; DIR/verification.pem, whose subject CN is the verification code ('az iot dps certificate "
                + "generate-verification-code'), signed by the CA's key in its vault; and DIR/README.txt with the 'az' calls that "
                + "upload the CA, verify it and create an enrollment group on it."})
final class RegisterAzureCommand implements Callable<Integer> {

    @ParentCommand
    RegisterCommand register;
    @Option(names = "--ca", defaultValue = "ldevid-ca", paramLabel = "NAME", description = "The CA to prove (default ${DEFAULT-VALUE}).")
    String ca;
    @Option(names = "--verification-code", required = true, paramLabel = "CODE", description = "The code 'az iot dps certificate generate-verification-code' prints.")
    String code;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the kit (created if missing).")
    Path out;

    @Override
    public Integer call() {
        RegisterCommand.writeKit(register.root.open(), ca, Platform.AZURE, code, out, proof -> Map.of("README.txt", readme(proof)));
        System.out.println("next: see " + out.resolve("README.txt") + " (az iot dps certificate verify ... --path verification.pem)");
        return 0;
    }

    private static String readme(VerificationCertificates.Proof proof) {
        String name = proof.ca().name();
        return """
                Azure IoT Hub Device Provisioning Service kit for Hallmark CA %1$s
                  subject: %2$s
                  verification certificate: CN=<the verification code>, valid until %3$s

                The steps, with DPS and RG your provisioning service and resource group (the az iot dps enrollment-group
                commands come with the azure-iot extension). ETAG is the etag the previous command printed.

                1. Upload the CA certificate (done before the verification code was asked for):

                  az iot dps certificate create --dps-name DPS --resource-group RG --certificate-name %1$s --path ca.pem

                2. The verification code this kit was made for came from:

                  az iot dps certificate generate-verification-code --dps-name DPS --resource-group RG --certificate-name %1$s --etag ETAG

                3. Prove possession of the CA's key:

                  az iot dps certificate verify --dps-name DPS --resource-group RG --certificate-name %1$s --path verification.pem --etag ETAG

                4. An enrollment group for every device whose certificate chains to the CA:

                  az iot dps enrollment-group create --dps-name DPS --resource-group RG --enrollment-id %1$s-devices --ca-name %1$s

                IoT Hub without DPS takes the same proof: az iot hub certificate create / generate-verification-code / verify
                with --hub-name HUB instead of --dps-name DPS.

                Check the verification certificate first (it must chain to the CA alone):

                  openssl verify -partial_chain -CAfile ca.pem verification.pem

                DPS names the device by its certificate's subject CN (the registration ID). Neither DPS nor IoT Hub checks
                CRLs or OCSP: to shut one device out, revoke it in Hallmark and add a disabled individual enrollment for its
                certificate (az iot dps enrollment create ... --provisioning-status disabled), and disable or delete its
                device identity in IoT Hub. See docs/platforms.md.
                """.formatted(name, proof.ca().subject(), proof.verification().getNotAfter().toInstant());
    }
}
