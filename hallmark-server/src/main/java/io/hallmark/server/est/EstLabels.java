package io.hallmark.server.est;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.enroll.EnrollmentLabel;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.SharedConfig;
import io.hallmark.core.store.Store;

import java.util.List;

/**
 * EST labels from the shared configuration (key {@code est.labels}, a JSON list), so every node serves the
 * same ones. The empty label is the default: LDevIDs from ldevid-ca for IDevIDs from idevid-ca. Every EST
 * request looks its label up, so the list is kept in memory and read again only when the configuration
 * sequence moved: at once after a change on this node, within the poll interval after one on another.
 */
public final class EstLabels {

    public static final String CONFIG_KEY = "est.labels";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final SharedConfig.Cached<List<EnrollmentLabel>> configured;

    public EstLabels(Store store, SharedConfig config) {
        this.store = store;
        this.configured = config.cache(tx -> tx.config().get(CONFIG_KEY).map(EstLabels::parse).orElse(List.of()));
    }

    public EnrollmentLabel get(String name) {
        return find(configured(), name);
    }

    /**
     * The label an EST path names (its decoded segment; null for the paths without one) among those configured: the
     * default label when none is named and none configured, else NOT_FOUND. A name no label could have (the syntax
     * 'est label set' enforces) is not repeated in the refusal: it is whatever a client put in the path.
     */
    static EnrollmentLabel find(List<EnrollmentLabel> configured, String name) {
        String wanted = name == null ? "" : name;
        for (EnrollmentLabel label : configured) {
            if (label.name().equals(wanted)) return label;
        }
        if (wanted.isEmpty()) return EnrollmentLabel.DEFAULT;
        if (!EnrollmentLabel.validName(wanted)) throw HallmarkException.notFound("no such EST label (labels are lowercase letters, digits and '-', at most 32)");
        throw HallmarkException.notFound("no EST label '" + wanted + "'");
    }

    /** Adds or replaces a label, for every node, with an audit entry. */
    public void put(EnrollmentLabel label, String actor, java.time.Instant now) {
        store.run(tx -> {
            // Read in the transaction that writes, not from the cache: two labels set at once on two nodes both stay.
            List<EnrollmentLabel> labels = new java.util.ArrayList<>(tx.config().get(CONFIG_KEY).map(EstLabels::parse).orElse(List.of()));
            labels.removeIf(l -> l.name().equals(label.name()));
            labels.add(label);
            tx.config().put(CONFIG_KEY, toJson(labels));
            tx.audit().append(actor, io.hallmark.core.audit.AuditEvent.of("config.set", CONFIG_KEY + "/" + label.name(),
                    "ca", label.ca(), "profile", label.profile(), "idevidIssuers", String.join(",", label.idevidIssuers()),
                    "foreignAnchors", Integer.toString(label.foreignAnchors().size()), "allowBootstrap", Boolean.toString(label.allowBootstrap()),
                    "importedIssuers", String.join(",", label.importedIssuers())), now);
        });
    }

    /**
     * Removes a label, for every node, with an audit entry. Its devices then get 404 at its paths; the default label
     * ('') removed falls back to the built-in default (ldevid-ca, ldevid).
     *
     * @throws HallmarkException NOT_FOUND when no label of that name is configured
     */
    public EnrollmentLabel remove(String name, String actor, java.time.Instant now) {
        return store.inTransaction(tx -> {
            List<EnrollmentLabel> labels = new java.util.ArrayList<>(tx.config().get(CONFIG_KEY).map(EstLabels::parse).orElse(List.of()));
            EnrollmentLabel gone = labels.stream().filter(l -> l.name().equals(name)).findFirst()
                    .orElseThrow(() -> HallmarkException.notFound("no EST label '" + name + "' is configured"));
            labels.remove(gone);
            tx.config().put(CONFIG_KEY, toJson(labels));
            tx.audit().append(actor, io.hallmark.core.audit.AuditEvent.of("config.remove", CONFIG_KEY + "/" + name,
                    "ca", gone.ca(), "profile", gone.profile()), now);
            return gone;
        });
    }

    /**
     * Refuses a label that could not serve (the CLI's 'est label set' and the API both check with this): every CA
     * it names exists, its CA issues its profile, its foreign anchors are CA certificates, and it does not accept
     * imported certificates from its own CA.
     */
    public static EnrollmentLabel checked(io.hallmark.core.ca.CaService cas, EnrollmentLabel label) {
        if (!cas.get(label.ca()).issues(label.profile())) throw HallmarkException.badInput("CA " + label.ca() + " does not issue profile " + label.profile());
        for (String issuer : label.idevidIssuers()) cas.get(issuer);
        for (String pem : label.foreignAnchors()) {
            List<byte[]> certs = io.hallmark.core.crypto.Pem.blocks(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII), "CERTIFICATE");
            if (certs.isEmpty()) throw HallmarkException.badInput("a trust anchor holds no PEM certificate");
            for (byte[] der : certs) {
                var cert = io.hallmark.core.crypto.Pem.x509(der);
                if (cert.getBasicConstraints() < 0) throw HallmarkException.badInput("trust anchor " + cert.getSubjectX500Principal() + " is not a CA certificate");
            }
        }
        for (String imported : label.importedIssuers()) {
            if (cas.get(imported).name().equals(label.ca())) {
                throw HallmarkException.badInput("accepting imported certificates from " + imported + ", the label's own CA: name the CA the fleet was imported from");
            }
        }
        return label;
    }

    public List<EnrollmentLabel> configured() {
        return configured.get();
    }

    private static List<EnrollmentLabel> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<EnrollmentLabel>>() { });
        } catch (Exception e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "stored EST labels are unreadable: " + e.getMessage(), e);
        }
    }

    private static String toJson(List<EnrollmentLabel> labels) {
        try {
            return JSON.writeValueAsString(labels);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
