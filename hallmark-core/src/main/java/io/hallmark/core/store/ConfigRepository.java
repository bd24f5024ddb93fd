package io.hallmark.core.store;

import java.util.Optional;

/**
 * Small named settings shared by every node (profiles, publication, EST labels...), as JSON text, and the
 * configuration sequence: a number that moves, in the same transaction, with every change of shared
 * configuration (these settings, CAs, stations, a CA's revocation), so that nodes can keep what they read
 * cached and reload it only when the sequence moved ({@link SharedConfig}).
 */
public interface ConfigRepository {

    Optional<String> get(String key);

    /** Stores a setting and moves the configuration sequence. */
    void put(String key, String json);

    /** Removes a setting, if present, and moves the configuration sequence. */
    void remove(String key);

    /**
     * Moves the configuration sequence for a change recorded elsewhere that caches of shared configuration
     * must see (a CA's certificate revoked). Changes through this repository, {@link CaRepository#insert} and
     * {@link StationRepository#insert} move it themselves.
     */
    void markChanged();

    /** The last number of the configuration sequence: cheap, so every node can poll it every second. */
    long sequence();
}
