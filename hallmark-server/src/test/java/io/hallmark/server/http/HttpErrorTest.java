package io.hallmark.server.http;

import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HttpErrorTest {

    @Test
    void unavailableIs503WithRetryAfterAndOtherKindsCarryNone() {
        HttpError e = HttpError.of(HallmarkException.unavailable("the database is not reachable; try again shortly", null));
        assertEquals(503, e.status());
        assertEquals(Map.of("Retry-After", Integer.toString(HttpError.RETRY_AFTER_SECONDS)), e.headers());
        assertEquals("the database is not reachable; try again shortly", e.getMessage());
        assertEquals(500, HttpError.of(new HallmarkException(HallmarkException.Kind.INTERNAL, "x")).status());
        assertEquals(Map.of(), HttpError.of(new HallmarkException(HallmarkException.Kind.INTERNAL, "x")).headers());
        assertEquals(409, HttpError.of(HallmarkException.conflict("x")).status());
    }
}
