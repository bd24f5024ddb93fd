package io.hallmark.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.audit.AuditChain;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.audit.AuditVerification;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.factory.FactoryEngine;
import io.hallmark.core.factory.StationService;
import io.hallmark.core.issue.Issuer;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.revoke.Revoker;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyVaults;

import java.time.Clock;
import java.util.List;

/**
 * One Hallmark instance: a store, the key vaults, and the services over them. Front ends (CLI, server)
 * build one and call its services; nothing here knows about HTTP or SQL.
 */
public final class Hallmark implements AutoCloseable {

    private static final String PROFILES_KEY = "profiles";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Clock clock;
    private final CaService cas;
    private final Issuer issuer;
    private final Revoker revoker;
    private final StationService stations;
    private final FactoryEngine factory;
    private volatile Profiles profiles;

    public Hallmark(Store store, KeyVaults vaults, Clock clock) {
        CryptoProviders.install();
        this.store = store;
        this.clock = clock;
        this.cas = new CaService(store, vaults, clock);
        this.issuer = new Issuer(store, vaults, cas, this::profiles, clock);
        this.revoker = new Revoker(store, clock);
        this.stations = new StationService(store, cas, issuer, this::profiles, clock);
        this.factory = new FactoryEngine(store, vaults, cas, this::profiles, stations, clock);
        this.profiles = loadProfiles();
    }

    public Store store() {
        return store;
    }

    public CaService cas() {
        return cas;
    }

    public Issuer issuer() {
        return issuer;
    }

    public Revoker revoker() {
        return revoker;
    }

    /** Factory stations: registration and authorization. */
    public StationService stations() {
        return stations;
    }

    /** Streaming batch provisioning, for the CLI and {@code /api/v1/factory}. */
    public FactoryEngine factory() {
        return factory;
    }

    public Profiles profiles() {
        return profiles;
    }

    public Clock clock() {
        return clock;
    }

    /** Stores the hierarchy's profile definitions (audited when they change), then creates missing CAs. */
    public List<CaService.InitOutcome> init(HierarchySpec spec, String actor) {
        Profiles merged = new Profiles(spec.profiles());
        if (!spec.profiles().isEmpty()) {
            String json = toJson(spec.profiles());
            store.run(tx -> {
                if (!tx.config().get(PROFILES_KEY).map(json::equals).orElse(false)) {
                    tx.config().put(PROFILES_KEY, json);
                    tx.audit().append(actor, AuditEvent.of("config.set", PROFILES_KEY, "value", json), clock.instant());
                }
            });
            profiles = merged;
        }
        return cas.init(spec, profiles, actor);
    }

    public AuditVerification verifyAudit() {
        AuditChain.Verifier verifier = new AuditChain.Verifier();
        store.run(tx -> tx.audit().scan(verifier));
        return verifier.result();
    }

    private Profiles loadProfiles() {
        return store.inTransaction(tx -> tx.config().get(PROFILES_KEY))
                .map(json -> {
                    try {
                        return new Profiles(JSON.readValue(json, new TypeReference<List<Profile>>() { }));
                    } catch (Exception e) {
                        throw new HallmarkException(HallmarkException.Kind.INTERNAL, "stored profiles are unreadable: " + e.getMessage(), e);
                    }
                })
                .orElseGet(Profiles::builtIn);
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
