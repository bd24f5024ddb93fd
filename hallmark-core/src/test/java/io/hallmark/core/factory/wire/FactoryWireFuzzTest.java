package io.hallmark.core.factory.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hallmark.core.factory.BatchItem;
import io.hallmark.core.factory.ItemSource;

import java.io.ByteArrayInputStream;

/**
 * Hostile factory batch bodies, NDJSON and length-prefixed CBOR frames, as the server streams them: a record that is
 * not an item becomes an unreadable item (documented), never an exception; so any exception, an OutOfMemoryError or a
 * hang is a finding. Without JAZZER_FUZZ the seed corpus beside this class replays in the normal build;
 * docs/security.md (Fuzzing) says how to run it long.
 */
class FactoryWireFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void ndjson(byte[] body) throws Exception {
        drain(Ndjson.items(new ByteArrayInputStream(body)), body.length);
    }

    @FuzzTest(maxDuration = "5m")
    void frames(byte[] body) throws Exception {
        drain(Frames.items(new ByteArrayInputStream(body)), body.length);
    }

    private static void drain(ItemSource items, int bodyLength) throws Exception {
        try (items) {
            int count = 0;
            for (BatchItem item = items.next(); item != null; item = items.next()) {
                // Every record is at least one byte (a line end, a length prefix): more items than bytes is a loop.
                if (++count > bodyLength + 1) {
                    throw new AssertionError(count + " items from " + bodyLength + " bytes");
                }
                if (item.item() == null && (item.inputError() == null || item.inputError().isBlank())) {
                    throw new AssertionError("an unreadable item without a reason");
                }
            }
        }
    }
}
