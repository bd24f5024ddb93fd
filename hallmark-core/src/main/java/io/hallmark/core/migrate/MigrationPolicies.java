package io.hallmark.core.migrate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.enroll.EnrollmentLabel;
import io.hallmark.core.enroll.KeyRouting;
import io.hallmark.core.enroll.Route;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.store.MigrationPolicyRecord;
import io.hallmark.core.store.MigrationPolicyRepository.MigrationProgress;
import io.hallmark.core.store.MigrationPolicyRepository.MigrationScope;
import io.hallmark.core.store.SharedConfig;
import io.hallmark.core.store.Store;
import io.hallmark.core.store.Tx;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Key migration policies: set, removed and listed (audited, through the shared change sequence, so every node
 * follows), and applied to each enrollment as its {@link KeyRouting}. The policies in force are cached and read
 * again only when the configuration sequence moved.
 */
public final class MigrationPolicies implements KeyRouting {

    /** Where EST labels are kept (the server's EstLabels): a label group's source route is read from there. */
    static final String LABELS_KEY = "est.labels";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A policy in force with how far its group has moved, in devices. */
    public record Listed(MigrationPolicy policy, String group, long migrated, long remaining) {
        /** Migrated devices over the devices with a current certificate in the group or on its target; 0 when there are none. */
        @com.fasterxml.jackson.annotation.JsonProperty("share")
        public double share() {
            long all = migrated + remaining;
            return all == 0 ? 0 : (double) migrated / all;
        }
    }

    private final Store store;
    private final CaService cas;
    private final Supplier<Profiles> profiles;
    private final Clock clock;
    private final SharedConfig.Cached<List<MigrationPolicy>> active;

    public MigrationPolicies(Store store, SharedConfig config, CaService cas, Supplier<Profiles> profiles, Clock clock) {
        this.store = store;
        this.cas = cas;
        this.profiles = profiles;
        this.clock = clock;
        this.active = config.cache(MigrationPolicies::inForce);
    }

    /**
     * Sets the policy of {@code group} (superseding the one it had), after checking that it can be served: the
     * target CA exists and issues the target profile, and that profile takes keys of the algorithm.
     *
     * @param toProfile null: the profile of the route each request arrives on
     */
    public MigrationPolicy set(DeviceGroup group, String toCa, String toProfile, String toAlgorithm, Duration grace, String actor) {
        KeyAlgorithm algorithm = KeyAlgorithm.parse(toAlgorithm);
        if (grace != null && grace.isNegative()) throw HallmarkException.badInput("the grace period cannot be negative");
        var ca = cas.get(toCa);
        String profileToCheck = toProfile != null ? toProfile
                : group instanceof DeviceGroup.Profile p ? p.name()
                : group instanceof DeviceGroup.Label l ? store.read(tx -> labelRoute(tx, l.name())).profile() : null;
        if (group instanceof DeviceGroup.Profile p) profiles.get().get(p.name());
        if (group instanceof DeviceGroup.Ca c) cas.get(c.name());
        if (profileToCheck != null) {
            if (!ca.issues(profileToCheck)) throw HallmarkException.badInput("CA " + toCa + " does not issue profile " + profileToCheck);
            requireKeyAllowed(profiles.get().get(profileToCheck), algorithm);
        }
        Instant now = clock.instant();
        long seconds = grace == null ? 0 : grace.toSeconds();
        MigrationPolicyRecord record = new MigrationPolicyRecord(0, group.kind(), group.value(), toCa, toProfile, algorithm.id(), seconds, now, actor, null, null);
        long id = store.inTransaction(tx -> {
            long assigned = tx.migrationPolicies().append(record);
            tx.audit().append(actor, AuditEvent.of("migration.set", "policy/" + assigned, "group", group.kind() + ":" + group.value(),
                    "toCa", toCa, "toProfile", toProfile, "toAlgorithm", algorithm.id(), "graceSeconds", Long.toString(seconds)), now);
            return assigned;
        });
        return new MigrationPolicy(id, group, toCa, toProfile, algorithm.id(), Duration.ofSeconds(seconds), now, actor);
    }

    /** @throws HallmarkException NOT_FOUND for an unknown or already removed policy */
    public void remove(long id, String actor) {
        Instant now = clock.instant();
        store.run(tx -> {
            if (!tx.migrationPolicies().remove(id, now, actor)) {
                throw HallmarkException.notFound("no migration policy " + id + " in force");
            }
            tx.audit().append(actor, AuditEvent.of("migration.remove", "policy/" + id), now);
        });
    }

    /** The policies in force, oldest first. */
    public List<MigrationPolicy> active() {
        return active.get();
    }

    /** The policies in force with their progress, counted now. */
    public List<Listed> list() {
        Instant now = clock.instant();
        return store.read(tx -> {
            List<Listed> out = new ArrayList<>();
            for (MigrationPolicy p : inForce(tx)) {
                MigrationProgress progress = progress(tx, p, now);
                out.add(new Listed(p, p.group().describe(), progress.migrated(), progress.remaining()));
            }
            return out;
        });
    }

    /** The policy that applies to a request: the most specific group covering it, the newest among equals. */
    public Optional<MigrationPolicy> applying(String label, String ca, String profile, String deviceId) {
        return active().stream().filter(p -> p.group().covers(label, ca, profile, deviceId))
                .min(Comparator.comparingInt((MigrationPolicy p) -> p.group().rank()).thenComparing(p -> -p.id()));
    }

    @Override
    public List<Route> targets(String label, Route route) {
        List<Route> out = new ArrayList<>();
        for (MigrationPolicy p : active()) {
            boolean may = p.group() instanceof DeviceGroup.Devices || p.group().covers(label, route.ca(), route.profile(), null);
            Route target = new Route(p.toCa(), p.targetProfile(route.profile()));
            if (may && !out.contains(target)) out.add(target);
        }
        return out;
    }

    @Override
    public Decision decide(String label, Route route, String deviceId, String keyDescription) {
        Optional<MigrationPolicy> applying = applying(label, route.ca(), route.profile(), deviceId);
        if (applying.isEmpty()) return new Decision.Keep();
        MigrationPolicy p = applying.get();
        if (p.toAlgorithm().equals(keyDescription)) {
            return new Decision.Move(new Route(p.toCa(), p.targetProfile(route.profile())), p.id());
        }
        Instant now = clock.instant();
        if (p.inGrace(now)) return new Decision.Keep();
        return new Decision.Refuse(p.group().describe() + " moves to " + p.toAlgorithm() + " keys under CA " + p.toCa() + " (migration policy "
                + p.id() + (p.grace().isZero() ? "" : ", grace ended " + p.graceUntil()) + "): this CSR has an " + keyDescription
                + " key; make an " + p.toAlgorithm() + " key (csrattrs names it)");
    }

    private static MigrationProgress progress(Tx tx, MigrationPolicy p, Instant now) {
        Route source;
        try {
            source = sourceRoute(tx, p);
        } catch (HallmarkException e) {
            return new MigrationProgress(0, 0); // its label was removed since: no request can arrive on it
        }
        List<String> devices = p.group() instanceof DeviceGroup.Devices d ? d.ids() : null;
        String targetProfile = p.toProfile() != null ? p.toProfile() : source.profile();
        return tx.migrationPolicies().progress(new MigrationScope(source.ca(), source.profile(), devices, null),
                new MigrationScope(p.toCa(), targetProfile, devices, p.toAlgorithm()), p.createdAt(), now);
    }

    private static Route sourceRoute(Tx tx, MigrationPolicy p) {
        return switch (p.group()) {
            case DeviceGroup.Label l -> labelRoute(tx, l.name());
            case DeviceGroup.Profile pr -> new Route(null, pr.name());
            case DeviceGroup.Ca c -> new Route(c.name(), null);
            case DeviceGroup.Devices d -> new Route(null, null);
        };
    }

    /** The in-force policies: not removed, and the newest of each group. */
    private static List<MigrationPolicy> inForce(Tx tx) {
        Map<String, MigrationPolicy> byGroup = new LinkedHashMap<>();
        for (MigrationPolicyRecord r : tx.migrationPolicies().all()) {
            String key = r.groupKind() + "\u0000" + r.groupValue();
            byGroup.remove(key); // a newer policy of the group supersedes, removed or not
            if (r.removedAt() == null) byGroup.put(key, MigrationPolicy.of(r));
        }
        return List.copyOf(byGroup.values());
    }

    /** The route of an EST label as stored (the default label when none is configured under that name). */
    static Route labelRoute(Tx tx, String name) {
        List<EnrollmentLabel> labels = tx.config().get(LABELS_KEY).map(json -> {
            try {
                return JSON.readValue(json, new TypeReference<List<EnrollmentLabel>>() { });
            } catch (Exception e) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "stored EST labels are unreadable: " + e.getMessage(), e);
            }
        }).orElse(List.of());
        for (EnrollmentLabel l : labels) {
            if (l.name().equals(name)) return l.route();
        }
        if (name.isEmpty()) return EnrollmentLabel.DEFAULT.route();
        throw HallmarkException.notFound("no EST label '" + name + "'");
    }

    /** A key made as {@code algorithm} makes it must pass the profile's key policy, and be described by the algorithm's name. */
    private static void requireKeyAllowed(Profile profile, KeyAlgorithm algorithm) {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(algorithm.generate().getPublic().getEncoded());
        String described;
        try {
            described = profile.keys().check(spki);
        } catch (HallmarkException e) {
            throw HallmarkException.badInput("profile " + profile.name() + " does not take " + algorithm.id() + " keys: " + e.getMessage()
                    + " (name a profile that does with --to-profile)");
        }
        if (!described.equals(algorithm.id())) {
            throw HallmarkException.badInput("profile " + profile.name() + " describes " + algorithm.id() + " keys as " + described
                    + "; such a policy could never match a CSR");
        }
    }
}
