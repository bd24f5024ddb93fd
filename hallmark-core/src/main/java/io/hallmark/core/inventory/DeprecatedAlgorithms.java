package io.hallmark.core.inventory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.store.ConfigRepository;

import java.util.List;
import java.util.TreeSet;

/** The key algorithms marked deprecated: a shared setting (every node sees the same), a JSON array of names. */
final class DeprecatedAlgorithms {

    static final String KEY = "inventory.deprecated-algorithms";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeprecatedAlgorithms() {
    }

    static List<String> read(ConfigRepository config) {
        return config.get(KEY).map(DeprecatedAlgorithms::parse).orElse(List.of());
    }

    static void write(ConfigRepository config, List<String> algorithms) {
        try {
            config.put(KEY, JSON.writeValueAsString(List.copyOf(new TreeSet<>(algorithms))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() {
            });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new io.hallmark.core.error.HallmarkException(io.hallmark.core.error.HallmarkException.Kind.INTERNAL,
                    "setting " + KEY + " is not a JSON list of names: " + e.getOriginalMessage(), e);
        }
    }
}
