package io.hallmark.core.vault;

import io.hallmark.core.crypto.KeyAlgorithm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A long-lived process holding a {@link Pkcs11KeyVault}, driven line by line from stdin ("generate", "sign"), so that
 * a test can change the token under it (SoftHSM2 reads SOFTHSM2_CONF only when the library is loaded, hence a process).
 * Answers "ok ..." or "error ..." on one line each.
 */
public final class Pkcs11Probe {

    private Pkcs11Probe() {
    }

    public static void main(String[] args) throws Exception {
        Pkcs11KeyVault vault = new Pkcs11KeyVault(new Pkcs11Settings(Path.of(args[0]), args[1], Path.of(args[2])));
        KeyHandle key = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            try {
                switch (line.strip()) {
                    case "generate" -> {
                        key = vault.generate("probe", KeyAlgorithm.EC_P256);
                        System.out.println("ok " + key.ref());
                    }
                    case "sign" -> {
                        byte[] data = "probe".getBytes(StandardCharsets.US_ASCII);
                        byte[] signature = key.sign(data);
                        java.security.Signature v = java.security.Signature.getInstance("SHA256withECDSA");
                        v.initVerify(key.publicKey());
                        v.update(data);
                        System.out.println(v.verify(signature) ? "ok signed" : "error: the signature does not verify");
                    }
                    default -> System.out.println("error: unknown command " + line);
                }
            } catch (RuntimeException e) {
                System.out.println("error " + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
            System.out.flush();
        }
    }
}
