package io.hallmark.core.revoke;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CRL's read-ahead hands over every item in order, and a failure on either side ends both. */
class OverlappedReadTest {

    @Test
    void everyItemArrivesInOrderOnTheCallingThread() {
        for (int n : new int[]{0, 1, 6, 7, 8, 100, 10_001}) { // chunks of 7: none, partial, exact, many
            List<Integer> got = new ArrayList<>();
            Thread caller = Thread.currentThread();
            List<Thread> producers = new ArrayList<>();
            OverlappedRead.<Integer>run("test-read", 7, 2, sink -> {
                producers.add(Thread.currentThread());
                for (int i = 0; i < n; i++) sink.accept(i);
            }, i -> {
                assertSame(caller, Thread.currentThread());
                got.add(i);
            });
            assertEquals(java.util.stream.IntStream.range(0, n).boxed().toList(), got, "n = " + n);
            assertNotEquals(caller, producers.getFirst(), "the producer runs on a thread of its own");
        }
    }

    @Test
    void aProducerFailureIsRethrownAfterWhatItHandedOver() {
        IllegalStateException boom = new IllegalStateException("the database went away");
        List<Integer> got = new ArrayList<>();
        var thrown = assertThrows(IllegalStateException.class, () -> OverlappedRead.<Integer>run("test-read", 4, 2, sink -> {
            for (int i = 0; i < 10; i++) sink.accept(i);
            throw boom;
        }, got::add));
        assertSame(boom, thrown);
        assertEquals(8, got.size(), "the two full chunks made before the failure; the partial one is dropped");
    }

    @Test
    void aConsumerFailureStopsAProducerThatWouldNeverEnd() {
        AtomicLong produced = new AtomicLong();
        AtomicBoolean producerEnded = new AtomicBoolean();
        Thread[] producer = {null};
        var thrown = assertThrows(IllegalArgumentException.class, () -> OverlappedRead.<Long>run("test-read", 16, 2, sink -> {
            producer[0] = Thread.currentThread();
            try {
                while (true) sink.accept(produced.incrementAndGet());
            } finally {
                producerEnded.set(true);
            }
        }, i -> {
            if (i == 100) throw new IllegalArgumentException("bad entry " + i);
        }));
        assertEquals("bad entry 100", thrown.getMessage());
        assertTrue(producerEnded.get(), "the producer was stopped, and had ended when run returned");
        assertFalse(producer[0].isAlive());
        // At most: the 7 chunks the consumer took (it failed in the 7th), the 2 queued, one waiting to be queued (the
        // clear lets it in) and one more filled before the producer's next hand-off finds the consumer gone.
        assertTrue(produced.get() <= 16 * (7 + 2 + 1 + 1), "the queue bounds how far the producer ran ahead: " + produced.get());
    }
}
