package io.hallmark.core.crypto;

import io.hallmark.core.HallmarkException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** Pem.derOfSingle: the fast path for a text that is one PEM block (factory results and CSRs), and its fallbacks. */
class PemSingleBlockTest {

    private static final byte[] DER = new byte[300];

    static {
        for (int i = 0; i < DER.length; i++) DER[i] = (byte) (i * 7);
    }

    @Test
    void oneBlockDecodesToTheSameDerAsThePemParser() {
        String pem = Pem.certificate(DER);
        assertArrayEquals(DER, Pem.derOfSingle(pem, "CERTIFICATE"));
        assertArrayEquals(Pem.derOf(pem.getBytes(StandardCharsets.US_ASCII), "CERTIFICATE"), Pem.derOfSingle(pem, "CERTIFICATE"));
        assertArrayEquals(DER, Pem.derOfSingle(pem.replace("\n", "\r\n"), "CERTIFICATE"));
    }

    @Test
    void anythingElseTakesTheGeneralPath() {
        // Two blocks: the first of the type, as derOf says.
        String two = Pem.encode("PRIVATE KEY", new byte[]{1, 2, 3}) + Pem.certificate(DER);
        assertArrayEquals(DER, Pem.derOfSingle(two, "CERTIFICATE"));
        // Another type only: refused, naming the expected one.
        HallmarkException e = assertThrows(HallmarkException.class, () -> Pem.derOfSingle(Pem.encode("PRIVATE KEY", DER), "CERTIFICATE"));
        assertTrue(e.getMessage().contains("CERTIFICATE"), e.getMessage());
        // Broken base64 inside one block.
        assertThrows(HallmarkException.class, () -> Pem.derOfSingle("-----BEGIN CERTIFICATE-----\nMII=x=\n-----END CERTIFICATE-----\n", "CERTIFICATE"));
    }
}
