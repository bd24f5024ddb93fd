package io.hallmark.cli.ceremony;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A share file reads back as written, and one bit changed at any byte of it is refused, naming the file. */
class ShareFileTest {

    private static final ShareFile SHARE = new ShareFile("0123456789abcdef0123456789abcdef", "AB:CD:EF", 3, 3, 5, "Erin",
            HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));

    @Test
    void readsBackWhatItWrote() {
        ShareFile read = ShareFile.parse("share-3", SHARE.encode().getBytes(StandardCharsets.UTF_8));
        assertEquals(SHARE.ceremony(), read.ceremony());
        assertEquals(SHARE.rootSha256(), read.rootSha256());
        assertEquals(3, read.index());
        assertEquals(3, read.threshold());
        assertEquals(5, read.total());
        assertEquals("Erin", read.holder());
        assertArrayEquals(SHARE.value(), read.value());
        assertEquals(SHARE.commitment(), read.commitment());
    }

    @Test
    void everySingleFlippedBitAnywhereIsRefusedAndNamed() {
        byte[] good = SHARE.encode().getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at < good.length; at++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] bad = good.clone();
                bad[at] ^= (byte) bit;
                try {
                    ShareFile.parse("share-3", bad);
                    fail("bit " + bit + " of byte " + at + " flipped was not detected");
                } catch (ShareRefusedException e) {
                    assertTrue(e.getMessage().startsWith("share-3 is corrupted (") || e.getMessage().startsWith("share-3 is not a Hallmark"),
                            at + ": " + e.getMessage());
                }
            }
        }
    }

    @Test
    void aTruncatedFileIsRefused() {
        byte[] good = SHARE.encode().getBytes(StandardCharsets.UTF_8);
        ShareRefusedException e = assertThrows(ShareRefusedException.class,
                () -> ShareFile.parse("share-3", java.util.Arrays.copyOf(good, good.length - 1)));
        assertEquals("share-3 is corrupted (its checksum line is damaged)", e.getMessage());
        assertThrows(ShareRefusedException.class, () -> ShareFile.parse("notes.txt", "hello\n".getBytes(StandardCharsets.UTF_8)));
    }
}
