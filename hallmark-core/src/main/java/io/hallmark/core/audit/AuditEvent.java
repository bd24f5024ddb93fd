package io.hallmark.core.audit;

import java.util.Map;
import java.util.TreeMap;

/**
 * Something worth auditing: an action on a subject, with details.
 *
 * @param action  dotted verb, e.g. {@code cert.issue}, {@code ca.create}, {@code cert.revoke}, {@code config.set}
 * @param subject what it acted on: a serial, a CA name, a setting
 */
public record AuditEvent(String action, String subject, Map<String, String> details) {

    public AuditEvent {
        details = new TreeMap<>(details == null ? Map.of() : details);
        details.values().removeIf(java.util.Objects::isNull);
        details = java.util.Collections.unmodifiableMap(details);
    }

    public static AuditEvent of(String action, String subject, String... keyValues) {
        Map<String, String> details = new TreeMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            details.put(keyValues[i], keyValues[i + 1]);
        }
        return new AuditEvent(action, subject, details);
    }
}
