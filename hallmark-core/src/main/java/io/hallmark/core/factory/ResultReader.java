package io.hallmark.core.factory;

import java.io.IOException;

/**
 * A response body read result by result, what a station does with the server's answer ({@link io.hallmark.core.factory.wire.WireFormat#resultReader}).
 * Read from one thread.
 */
public interface ResultReader {

    /**
     * The next result, or null at the end of the body.
     *
     * @throws IOException when the body cannot be read, or when the server stopped the batch after the
     *                     response started (its last record is {@code {"error": ...}}; the message says why)
     */
    FactoryResult next() throws IOException;

    /** Whether more of the body has arrived: false means a {@link #next()} now may wait for the server. */
    boolean ready() throws IOException;
}
