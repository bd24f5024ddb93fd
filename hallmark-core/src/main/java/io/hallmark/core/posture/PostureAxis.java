package io.hallmark.core.posture;

import java.util.Map;

/**
 * One axis of the radar.
 *
 * @param score    0 to 100, higher is better
 * @param formula  how the score is computed, as docs/console.md writes it
 * @param evidence the numbers the score was computed from
 */
public record PostureAxis(String name, int score, String formula, Map<String, Object> evidence) {

    public PostureAxis {
        if (score < 0 || score > 100) throw new IllegalArgumentException("score out of range: " + score);
        evidence = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
    }
}
