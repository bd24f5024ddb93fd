package io.hallmark.core.vault;

import io.hallmark.core.crypto.KeyAlgorithm;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whatever the sizes of the writes, the signature covers exactly the bytes written, in order. */
class SignatureStreamTest {

    @Test
    void smallAndLargeWritesSignTheBytesInOrder() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        Random random = new Random(24);
        byte[] data = new byte[3 * SignatureStream.DIRECT + 12_345];
        random.nextBytes(data);
        // Single bytes, small writes filling the buffer past its end, one exactly DIRECT, one larger, small ones after.
        int[] cuts = {1, 2, 3, 100, SignatureStream.DIRECT - 50, 60, SignatureStream.DIRECT, 2 * SignatureStream.DIRECT - 7000, 5, data.length};
        Signature signature = KeyAlgorithm.EC_P256.newSignature();
        signature.initSign(pair.getPrivate());
        SignatureStream out = new SignatureStream(signature);
        int at = 0;
        for (int cut : cuts) {
            int end = Math.min(cut + at, data.length);
            if (end - at == 1) out.write(data[at]);
            else out.write(data, at, end - at);
            at = end;
        }
        assertTrue(at == data.length, "the cuts cover the data");
        byte[] sig = out.sign();

        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(pair.getPublic());
        verifier.update(data);
        assertTrue(verifier.verify(sig));
        data[data.length / 2] ^= 1;
        verifier.initVerify(pair.getPublic());
        verifier.update(data);
        assertFalse(verifier.verify(sig), "a changed byte fails: the check can fail");
    }
}
