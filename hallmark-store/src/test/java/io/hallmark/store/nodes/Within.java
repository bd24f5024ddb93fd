package io.hallmark.store.nodes;

import java.time.Duration;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Retries a check until it passes or the time is up: how a test waits for another node to see a change. */
final class Within {

    private Within() {
    }

    /** The first result of {@code attempt} that neither throws nor fails {@code accepted}, within {@code limit}. */
    static <T> T within(Duration limit, String what, Supplier<T> attempt, java.util.function.Predicate<T> accepted) {
        long deadline = System.nanoTime() + limit.toNanos();
        String last = "never tried";
        do {
            try {
                T value = attempt.get();
                if (accepted.test(value)) return value;
                last = "got " + value;
            } catch (RuntimeException e) {
                last = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            sleep();
        } while (System.nanoTime() < deadline);
        return fail(what + " not in force after " + limit.toMillis() + " ms; last: " + last);
    }

    static <T> T within(Duration limit, String what, Supplier<T> attempt) {
        return within(limit, what, attempt, v -> true);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
