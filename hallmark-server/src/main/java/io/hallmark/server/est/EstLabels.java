package io.hallmark.server.est;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.enroll.EnrollmentLabel;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.Store;

import java.util.List;

/**
 * EST labels from the shared configuration (key {@code est.labels}, a JSON list), so every node serves the
 * same ones. The empty label is the default: LDevIDs from ldevid-ca for IDevIDs from idevid-ca.
 */
public final class EstLabels {

    public static final String CONFIG_KEY = "est.labels";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;

    public EstLabels(Store store) {
        this.store = store;
    }

    public EnrollmentLabel get(String name) {
        String wanted = name == null ? "" : name;
        for (EnrollmentLabel label : configured()) {
            if (label.name().equals(wanted)) return label;
        }
        if (wanted.isEmpty()) return EnrollmentLabel.DEFAULT;
        throw HallmarkException.notFound("no EST label '" + wanted + "'");
    }

    /** Adds or replaces a label, for every node, with an audit entry. */
    public void put(EnrollmentLabel label, String actor, java.time.Instant now) {
        List<EnrollmentLabel> labels = new java.util.ArrayList<>(configured());
        labels.removeIf(l -> l.name().equals(label.name()));
        labels.add(label);
        String json;
        try {
            json = JSON.writeValueAsString(labels);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        store.run(tx -> {
            tx.config().put(CONFIG_KEY, json);
            tx.audit().append(actor, io.hallmark.core.audit.AuditEvent.of("config.set", CONFIG_KEY + "/" + label.name(),
                    "ca", label.ca(), "profile", label.profile(), "idevidIssuers", String.join(",", label.idevidIssuers()),
                    "foreignAnchors", Integer.toString(label.foreignAnchors().size()), "allowBootstrap", Boolean.toString(label.allowBootstrap())), now);
        });
    }

    public List<EnrollmentLabel> configured() {
        return store.read(tx -> tx.config().get(CONFIG_KEY)).map(json -> {
            try {
                return JSON.readValue(json, new TypeReference<List<EnrollmentLabel>>() { });
            } catch (Exception e) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "stored EST labels are unreadable: " + e.getMessage(), e);
            }
        }).orElse(List.of());
    }
}
