package io.hallmark.bench;

import io.hallmark.core.error.HallmarkException;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * How often each operation comes in the load: {@code est=1,ocsp=8,factory=1} means, of every ten requests,
 * one enrollment, eight OCSP queries and one factory chunk. The choice is by request number, not random,
 * so that every client's stream of requests has the mix whatever the run's length.
 */
record LoadMix(Map<LoadOperation, Integer> weights) {

    LoadMix {
        weights = Map.copyOf(weights);
    }

    static LoadMix parse(String text) {
        Map<LoadOperation, Integer> weights = new EnumMap<>(LoadOperation.class);
        for (String part : text.split(",")) {
            String[] kv = part.strip().split("=", 2);
            LoadOperation op = LoadOperation.named(kv[0].strip().toLowerCase(Locale.ROOT));
            if (op == null || kv.length != 2) {
                throw HallmarkException.badInput("--mix takes est=N,ocsp=N,factory=N, not '" + text + "'");
            }
            int n;
            try {
                n = Integer.parseInt(kv[1].strip());
            } catch (NumberFormatException e) {
                throw HallmarkException.badInput("--mix weight of " + op.key() + " must be a whole number, not '" + kv[1].strip() + "'");
            }
            if (n < 0 || n > 1000) throw HallmarkException.badInput("--mix weight of " + op.key() + " must be between 0 and 1000");
            if (weights.put(op, n) != null) throw HallmarkException.badInput("--mix names " + op.key() + " twice");
        }
        if (weights.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            throw HallmarkException.badInput("--mix must give at least one operation a weight above 0");
        }
        return new LoadMix(weights);
    }

    int weight(LoadOperation op) {
        return weights.getOrDefault(op, 0);
    }

    /** The operation of request number {@code n}: the weights laid end to end, in the order est, ocsp, factory. */
    LoadOperation pick(long n) {
        int total = 0;
        for (LoadOperation op : LoadOperation.values()) total += weight(op);
        long slot = Math.floorMod(n, total);
        for (LoadOperation op : LoadOperation.values()) {
            slot -= weight(op);
            if (slot < 0) return op;
        }
        throw new IllegalStateException("unreachable: weights sum to " + total);
    }
}
