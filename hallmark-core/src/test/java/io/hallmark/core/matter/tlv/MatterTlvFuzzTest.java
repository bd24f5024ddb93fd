package io.hallmark.core.matter.tlv;

import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Damaged input: every truncation of a valid TLV certificate and random byte changes in TLV and DER end in a
 * HallmarkException of kind BAD_INPUT with a reason, never another exception, never a hang; and a changed TLV that
 * still converts converts exactly (TLV to DER to the same TLV).
 */
class MatterTlvFuzzTest {

    @Test
    void everyTruncationOfEveryVectorIsRefusedCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (String name : TlvVectors.PAIRS) {
                byte[] tlv = TlvVectors.bytes(name + ".chip");
                for (int length = 0; length < tlv.length; length++) {
                    byte[] cut = Arrays.copyOf(tlv, length);
                    HallmarkException e = refusal(() -> MatterTlvCertificates.toDer(cut), name + " cut to " + length);
                    assertFalse(e.getMessage().isBlank());
                }
            }
        });
    }

    @Test
    void randomByteChangesInTlvAreRefusedCleanlyOrConvertExactly() {
        Random random = new Random(0x71f);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (String name : TlvVectors.PAIRS) {
                byte[] tlv = TlvVectors.bytes(name + ".chip");
                for (int round = 0; round < 400; round++) {
                    byte[] changed = mutate(tlv, random);
                    String what = name + " changed to " + java.util.HexFormat.of().formatHex(changed);
                    try {
                        byte[] der = MatterTlvCertificates.toDer(changed);
                        assertArrayEquals(changed, MatterTlvCertificates.toTlv(der), "a changed TLV that converts converts back exactly: " + what);
                        outcomes[0]++;
                    } catch (HallmarkException e) {
                        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind(), what);
                        assertFalse(e.getMessage().isBlank());
                        outcomes[1]++;
                    } catch (RuntimeException | Error e) {
                        fail(what + " threw " + e, e);
                    }
                }
            }
        });
        // Both outcomes must occur, or the test would not be testing what it claims.
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, "converted " + outcomes[0] + ", refused " + outcomes[1]);
    }

    @Test
    void randomByteChangesInDerAreRefusedCleanly() {
        Random random = new Random(0xde7);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (String name : TlvVectors.PAIRS) {
                byte[] der = TlvVectors.bytes(name + ".der");
                for (int round = 0; round < 300; round++) {
                    byte[] changed = mutate(der, random);
                    String what = name + " changed to " + java.util.HexFormat.of().formatHex(changed);
                    try {
                        byte[] tlv = MatterTlvCertificates.toTlv(changed);
                        assertArrayEquals(changed, MatterTlvCertificates.toDer(tlv), "a changed DER that converts converts back exactly: " + what);
                    } catch (HallmarkException e) {
                        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind(), what);
                    } catch (RuntimeException | Error e) {
                        fail(what + " threw " + e, e);
                    }
                }
                for (int length = 0; length < der.length; length++) {
                    byte[] cut = Arrays.copyOf(der, length);
                    refusal(() -> MatterTlvCertificates.toTlv(cut), name + " DER cut to " + length);
                }
            }
        });
    }

    /** One to three changes: a flipped bit, a random byte, a byte dropped or inserted. */
    private static byte[] mutate(byte[] input, Random random) {
        byte[] out = input.clone();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> out[at] = (byte) random.nextInt(256);
                case 2 -> {
                    byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                    out = shorter;
                }
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    private static HallmarkException refusal(Runnable conversion, String what) {
        try {
            conversion.run();
        } catch (HallmarkException e) {
            assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind(), what);
            return e;
        } catch (RuntimeException | Error e) {
            fail(what + " threw " + e, e);
        }
        return fail(what + " was accepted");
    }
}
