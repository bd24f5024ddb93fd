package io.hallmark.core.factory;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** The read-ahead thread hands on whatever ends its source, so the engine waiting for it is never left hanging. */
class ReadAheadTest {

    @Test
    void anErrorInTheSourceReachesTheReaderInsteadOfHangingIt() {
        ItemSource failing = new ItemSource() {
            int calls;

            @Override
            public BatchItem next() {
                if (calls++ == 0) return BatchItem.unreadable("first");
                throw new OutOfMemoryError("Java heap space (simulated)");
            }
        };
        try (ReadAhead input = new ReadAhead(failing, 4, "test-read-ahead")) {
            Exception e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertEquals("first", input.next(-1).item().inputError());
                return assertThrows(Exception.class, () -> input.next(-1));
            }, "the reader waits forever for an item that never comes");
            assertTrue(e.getMessage().contains("Java heap space (simulated)"), e.getMessage());
        }
    }
}
