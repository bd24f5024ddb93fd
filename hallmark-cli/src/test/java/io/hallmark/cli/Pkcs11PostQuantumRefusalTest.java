package io.hallmark.cli;

import io.hallmark.cli.TokenShell.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A post-quantum CA key asked of the PKCS#11 vault (SoftHSM2 made for the test) is refused with the reason, nothing
 * created and nothing left on the token; the same CA in the software vault of that installation is made.
 */
class Pkcs11PostQuantumRefusalTest {

    private static final String PIN = "4321";

    @TempDir
    Path dir;

    @Test
    void mlDsaOnTheTokenIsRefusedWithTheReasonAndTheSoftwareVaultTakesIt() throws Exception {
        SoftHsmTokens tokens = new SoftHsmTokens(dir).with("HALLMARK_PASSPHRASE", "correct horse battery staple pkcs11");
        tokens.init("hallmark-pq", PIN);
        Path pin = Files.writeString(dir.resolve("pin"), PIN + "\n");
        // A hierarchy file with a post-quantum CA under a classical root: refused before anything is made, the root included.
        Path file = Files.writeString(dir.resolve("h.yaml"), """
                cas:
                  - {name: root, subject: "CN=T Root CA,O=T", algorithm: ec-p384, pathLen: 1}
                  - {name: pq-ca, parent: root, subject: "CN=T PQ CA,O=T", algorithm: ml-dsa-44, profiles: [ldevid]}
                """);
        Result whole = tokens.hallmark(dir.resolve("data-file"), "init", "--hierarchy", file.toString(), "--vault", "pkcs11", "--pkcs11-library",
                SoftHsmTokens.LIBRARY, "--pkcs11-token", "hallmark-pq", "--pkcs11-pin-file", pin.toString());
        assertEquals(ExitCodes.BAD_INPUT, whole.exit(), whole::toString);
        assertTrue(whole.err().contains("CA pq-ca: the PKCS#11 vault cannot hold ml-dsa-44 keys") && whole.err().contains("nothing was created"),
                whole::toString);
        Result empty = tokens.exec(java.util.List.of(io.hallmark.testing.Peers.tool("pkcs11-tool").toString(), "--module", SoftHsmTokens.LIBRARY,
                "--token-label", "hallmark-pq", "--login", "--pin", PIN, "--list-objects"));
        assertFalse(empty.out().contains("root"), empty::toString);

        Path data = dir.resolve("data");
        Result init = tokens.hallmark(data, "init", "--vault", "pkcs11", "--pkcs11-library", SoftHsmTokens.LIBRARY, "--pkcs11-token", "hallmark-pq",
                "--pkcs11-pin-file", pin.toString());
        assertEquals(0, init.exit(), init::toString);

        for (String alg : new String[]{"ml-dsa-44", "slh-dsa-sha2-128s", "mldsa44-ecdsa-p256-sha256"}) {
            Result refused = tokens.hallmark(data, "ca", "create", "--name", "pq-root", "--algorithm", alg);
            assertEquals(ExitCodes.BAD_INPUT, refused.exit(), refused::toString);
            assertTrue(refused.err().contains("the PKCS#11 vault cannot hold " + alg + " keys: the JDK's PKCS#11 provider (SunPKCS11) has no "
                    + "ML-DSA, SLH-DSA or composite mechanisms"), refused::toString);
        }
        Result list = tokens.hallmark(data, "ca", "list");
        assertFalse(list.out().contains("pq-root"), list::toString);
        Result objects = tokens.exec(java.util.List.of(io.hallmark.testing.Peers.tool("pkcs11-tool").toString(), "--module", SoftHsmTokens.LIBRARY,
                "--token-label", "hallmark-pq", "--login", "--pin", PIN, "--list-objects"));
        assertFalse(objects.out().contains("pq-root"), objects::toString);

        Result soft = tokens.hallmark(data, "ca", "create", "--name", "pq-root", "--algorithm", "ml-dsa-44", "--vault", "soft");
        assertEquals(0, soft.exit(), soft::toString);
        assertTrue(soft.out().contains("soft:pq-root-"), soft::toString);
    }
}
