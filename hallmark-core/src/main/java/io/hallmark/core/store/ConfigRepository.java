package io.hallmark.core.store;

import java.util.Optional;

/** Small named settings shared by every node (profiles, CRL schedule...), as JSON text. */
public interface ConfigRepository {

    Optional<String> get(String key);

    void put(String key, String json);
}
