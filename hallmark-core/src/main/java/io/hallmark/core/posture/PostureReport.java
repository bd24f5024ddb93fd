package io.hallmark.core.posture;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The radar: its axes, their mean as {@code overall}, and the what-if overrides it was computed under (empty for the
 * real fleet).
 */
public record PostureReport(Instant at, List<PostureAxis> axes, int overall, Map<String, String> whatIf) {

    public PostureReport {
        axes = List.copyOf(axes);
        whatIf = Map.copyOf(whatIf);
    }

    public PostureAxis axis(String name) {
        return axes.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no axis " + name));
    }
}
