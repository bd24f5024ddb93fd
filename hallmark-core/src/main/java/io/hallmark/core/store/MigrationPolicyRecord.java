package io.hallmark.core.store;

import java.time.Instant;

/**
 * A key migration policy as stored ({@code io.hallmark.core.migrate.MigrationPolicy} is what the rest of Hallmark reads).
 *
 * @param id          assigned by the store, increasing
 * @param groupKind   {@code label}, {@code profile}, {@code ca} or {@code devices}
 * @param groupValue  the name, or for devices a JSON array of device ids
 * @param toProfile   null: the profile of the route the request arrives on
 * @param toAlgorithm a key algorithm as {@code io.hallmark.core.crypto.KeyAlgorithm} names it
 * @param removedAt   null while not removed
 */
public record MigrationPolicyRecord(long id, String groupKind, String groupValue, String toCa, String toProfile, String toAlgorithm,
                                    long graceSeconds, Instant createdAt, String actor, Instant removedAt, String removedBy) {
}
