package io.hallmark.core.store;

import java.time.Instant;

/**
 * A named lease as the store records it: who holds it, until when (by the database's clock), and since when without
 * a break.
 */
public record Lease(String name, String holder, Instant expiresAt, Instant acquiredAt) {
}
