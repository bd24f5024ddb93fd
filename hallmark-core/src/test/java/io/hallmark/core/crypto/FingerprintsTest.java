package io.hallmark.core.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The per-thread digest engines give the standard digests, call after call and thread beside thread. */
class FingerprintsTest {

    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
    private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String ABC_SHA1 = "a9993e364706816aba3e25717850c26c9cd0d89d";

    @Test
    void knownAnswersEveryTime() {
        for (int i = 0; i < 3; i++) {
            assertEquals(ABC_SHA256, Fingerprints.sha256Hex(ABC));
            assertEquals(ABC_SHA1, HexFormat.of().formatHex(Fingerprints.sha1(ABC)));
            assertEquals(ABC_SHA256, HexFormat.of().formatHex(Fingerprints.sha256(ABC)));
        }
        // The empty input after a non-empty one: nothing of the previous digest is left over.
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Fingerprints.sha256Hex(new byte[0]));
    }

    @Test
    void threadsDoNotShareAnEngine() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        if (!Fingerprints.sha256Hex(ABC).equals(ABC_SHA256)) return false;
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) assertEquals(true, r.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
