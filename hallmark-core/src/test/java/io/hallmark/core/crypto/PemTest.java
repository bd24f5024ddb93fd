package io.hallmark.core.crypto;

import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class PemTest {

    private static final byte[] DER = {0x30, 0x03, 0x02, 0x01, 0x2d};
    private static final byte[] LONG = new byte[300];

    static {
        for (int i = 0; i < LONG.length; i++) LONG[i] = (byte) (i * 7);
    }

    @Test
    void derPassesThroughAndPemIsDecoded() {
        assertArrayEquals(DER, Pem.derOf(DER, "CERTIFICATE REQUEST"));
        byte[] pem = Pem.encode("CERTIFICATE REQUEST", DER).getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(DER, Pem.derOf(pem, "CERTIFICATE REQUEST"));
        byte[] withText = ("a comment line\n" + new String(pem, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(DER, Pem.blocks(withText, "CERTIFICATE REQUEST").getFirst());
    }

    @Test
    void pemOfAnotherTypeIsRefusedNotTakenForDer() {
        byte[] pem = Pem.encode("CERTIFICATE", DER).getBytes(StandardCharsets.US_ASCII);
        HallmarkException e = assertThrows(HallmarkException.class, () -> Pem.derOf(pem, "CERTIFICATE REQUEST"));
        assertTrue(e.getMessage().contains("no 'CERTIFICATE REQUEST' block"), e.getMessage());
        assertTrue(Pem.blocks(pem, "CERTIFICATE REQUEST").isEmpty());
    }

    @Test
    void dashesInsideDerOrAMarkerCutShortAreNotPem() {
        byte[] dashes = "-----BEGIN".getBytes(StandardCharsets.US_ASCII); // no space after BEGIN, and at the very end
        assertTrue(Pem.blocks(dashes, "CERTIFICATE").isEmpty());
        assertArrayEquals(dashes, Pem.derOf(dashes, "CERTIFICATE"));
        assertTrue(Pem.blocks(new byte[0], "CERTIFICATE").isEmpty());
    }

    /** derOfSingle: the fast path for a text that is one PEM block (factory results and CSRs). */
    @Test
    void oneBlockDecodesToTheSameDerAsThePemParser() {
        String pem = Pem.certificate(LONG);
        assertArrayEquals(LONG, Pem.derOfSingle(pem, "CERTIFICATE"));
        assertArrayEquals(Pem.derOf(pem.getBytes(StandardCharsets.US_ASCII), "CERTIFICATE"), Pem.derOfSingle(pem, "CERTIFICATE"));
        assertArrayEquals(LONG, Pem.derOfSingle(pem.replace("\n", "\r\n"), "CERTIFICATE"));
    }

    @Test
    void derOfSingleSendsAnythingElseTheGeneralWay() {
        // Two blocks: the first of the type, as derOf says.
        String two = Pem.encode("PRIVATE KEY", new byte[]{1, 2, 3}) + Pem.certificate(LONG);
        assertArrayEquals(LONG, Pem.derOfSingle(two, "CERTIFICATE"));
        // Another type only: refused, naming the expected one.
        HallmarkException e = assertThrows(HallmarkException.class, () -> Pem.derOfSingle(Pem.encode("PRIVATE KEY", LONG), "CERTIFICATE"));
        assertTrue(e.getMessage().contains("CERTIFICATE"), e.getMessage());
        // Broken base64 inside one block.
        assertThrows(HallmarkException.class, () -> Pem.derOfSingle("-----BEGIN CERTIFICATE-----\nMII=x=\n-----END CERTIFICATE-----\n", "CERTIFICATE"));
    }
}
