package io.hallmark.core.store;

import java.time.Instant;
import java.util.List;

/**
 * Key migration policies: shared configuration (every change moves the configuration sequence) kept as history.
 * Nothing is edited: a policy for a group supersedes the one before it, and a removal is a record of its own.
 */
public interface MigrationPolicyRepository {

    /** The most policies read at once; far more than any fleet's device groups. */
    int MAX = 10_000;

    /** Appends {@code policy} (its id and removal are ignored), moves the configuration sequence, returns the new id. */
    long append(MigrationPolicyRecord policy);

    /** Appends a removal of policy {@code id}; false if there is no such policy or it was removed before. */
    boolean remove(long id, Instant at, String actor);

    /** Every policy, removed ones included, oldest first (at most {@link #MAX}). */
    List<MigrationPolicyRecord> all();

    /**
     * How far a group has moved, in devices. The group: devices that had a certificate in {@code source}, and those
     * issued one of {@code target} at or after {@code since} (the policy's start: they enrolled straight onto it).
     * Migrated: those holding a current (unrevoked, unexpired) certificate of {@code target}; remaining: those still
     * holding a current one in {@code source} and none of {@code target}.
     */
    MigrationProgress progress(MigrationScope source, MigrationScope target, Instant since, Instant now);

    /**
     * Which certificates a group or a target covers; null fields do not narrow. Device identities (IDevIDs) are never covered.
     *
     * @param deviceIds null, or the devices of a device-list group
     */
    record MigrationScope(String caName, String profile, List<String> deviceIds, String keyAlgorithm) {
        public MigrationScope {
            deviceIds = deviceIds == null ? null : List.copyOf(deviceIds);
        }
    }

    /** @param migrated devices on the target; @param remaining devices with a current certificate in the group, not on the target */
    record MigrationProgress(long migrated, long remaining) {
    }
}
