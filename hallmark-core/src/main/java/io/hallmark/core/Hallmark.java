package io.hallmark.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.audit.AuditVerification;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.enroll.EnrollmentService;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.factory.FactoryEngine;
import io.hallmark.core.issue.Issuer;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.revoke.CrlPublisher;
import io.hallmark.core.revoke.CrlService;
import io.hallmark.core.revoke.OcspResponder;
import io.hallmark.core.revoke.PublicationSettings;
import io.hallmark.core.revoke.RevocationScheduler;
import io.hallmark.core.revoke.Revoker;
import io.hallmark.core.station.StationAuthorizer;
import io.hallmark.core.station.StationService;
import io.hallmark.core.store.SharedConfig;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyVaults;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
    private final io.hallmark.core.access.Credentials credentials;
    private final io.hallmark.core.access.PrincipalAuthorizer principals;
    private final KeyVaults vaults;
    private final PublicationSettings publication;
    private final CrlService crls;
    private volatile CrlPublisher crlPublisher;
    private volatile OcspResponder ocsp;
    private volatile RevocationScheduler revocationScheduler;
    private volatile io.hallmark.core.node.NodeLease lease;
    private final StationService stations;
    private final FactoryEngine factory;
    private final EnrollmentService enrollment;
    private final io.hallmark.core.migrate.MigrationPolicies migrations;
    private final SharedConfig config;
    private final SharedConfig.Cached<Profiles> profiles;

    public Hallmark(Store store, KeyVaults vaults, Clock clock) {
        CryptoProviders.install();
        this.store = store;
        this.clock = clock;
        this.vaults = vaults;
        this.config = new SharedConfig(store);
        this.profiles = config.cache(Hallmark::loadProfiles);
        this.cas = new CaService(store, vaults, clock);
        this.publication = new PublicationSettings(store, config, clock);
        this.issuer = new Issuer(store, vaults, cas, this::profiles, clock, publication::current);
        this.revoker = new Revoker(store, clock);
        this.credentials = new io.hallmark.core.access.Credentials(store, clock);
        this.principals = new io.hallmark.core.access.PrincipalAuthorizer(credentials, () -> cas.get("clients-ca").x509());
        this.crls = new CrlService(store, cas, vaults, publication, clock);
        this.stations = new StationService(store, cas, issuer, this::profiles, clock);
        this.factory = new FactoryEngine(store, vaults, cas, this::profiles, new StationAuthorizer(store, clock), clock, publication::current);
        this.migrations = new io.hallmark.core.migrate.MigrationPolicies(store, config, cas, this::profiles, clock);
        this.enrollment = EnrollmentService.standard(cas, issuer, this::profiles, store, clock, migrations);
    }

    /** Key migration policies (crypto agility): which key and CA each device group moves to at its next enrollment. */
    public io.hallmark.core.migrate.MigrationPolicies migrations() {
        return migrations;
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

    public io.hallmark.core.access.Credentials credentials() {
        return credentials;
    }

    /** Who is calling the REST API: tokens and operator certificates, checked against the store on every call. */
    public io.hallmark.core.access.PrincipalAuthorizer principals() {
        return principals;
    }

    /** Factory stations: registration and authorization. */
    public StationService stations() {
        return stations;
    }

    /** Streaming batch provisioning, for the CLI and {@code /api/v1/factory}. */
    public FactoryEngine factory() {
        return factory;
    }

    /** The factory batches the engine recorded, with their progress. */
    public io.hallmark.core.factory.FactoryBatches factoryBatches() {
        return new io.hallmark.core.factory.FactoryBatches(store, clock);
    }

    /** Enrollment with the standard authorizer chain, for protocol front ends (EST). */
    public EnrollmentService enrollment() {
        return enrollment;
    }

    /** The profiles in force: the built-ins and the stored ones, read again when the configuration sequence moved. */
    public Profiles profiles() {
        return profiles.get();
    }

    /** The configuration sequence as this node knows it, and the caches that follow it; polled by the scheduler. */
    public SharedConfig sharedConfig() {
        return config;
    }

    /** Where CRLs and OCSP are published (config key {@code publication}). */
    public PublicationSettings publication() {
        return publication;
    }

    /** Signs CRLs on demand (CLI {@code crl generate}). */
    public CrlService crls() {
        return crls;
    }

    /** Serves published CRLs and CA certificates by file name, re-signing when due (server: GET /crl, /ca). */
    public synchronized CrlPublisher crlPublisher() {
        if (crlPublisher == null) {
            crlPublisher = new CrlPublisher(store, cas, crls, publication, clock);
            revoker.addListener(crlPublisher);
        }
        return crlPublisher;
    }

    /** The OCSP responder engine (server: POST /ocsp, GET /ocsp/...), created on first use. */
    public synchronized OcspResponder ocsp() {
        if (ocsp == null) {
            ocsp = new OcspResponder(store, cas, vaults, publication, config, clock, OcspResponder.DEFAULT_CACHE_SIZE);
            revoker.addListener(ocsp);
        }
        return ocsp;
    }

    /**
     * Starts (once) the background work a serving node needs, as node {@code nodeId} of the database: the jobs lease
     * ({@link io.hallmark.core.node.NodeLease}), then polling the configuration and revocation sequences, flushing this
     * node's OCSP counts and last-seen times, responder rotation (every node), and, only while this node holds the
     * lease, CRL signing and the events purge; stopped by {@link #close()}.
     */
    public synchronized RevocationScheduler startRevocationScheduler(String nodeId) {
        if (revocationScheduler == null) {
            lease = new io.hallmark.core.node.NodeLease(store, nodeId).start();
            crlPublisher().signOnlyWhile(lease);
            revocationScheduler = new RevocationScheduler(ocsp(), crlPublisher(), config, lease).start();
            io.hallmark.core.telemetry.OcspEventCounter ocspEvents = new io.hallmark.core.telemetry.OcspEventCounter(ocsp(), events(), clock);
            revocationScheduler.every("OCSP event count", 60, 60, ocspEvents::flush);
            var ocspSeen = new io.hallmark.core.telemetry.OcspLastSeen(ocsp(), store, clock);
            int every = io.hallmark.core.telemetry.OcspLastSeen.EVERY_SECONDS;
            revocationScheduler.every("OCSP last seen", every, every, ocspSeen::flush);
            revocationScheduler.every("events purge", 60, 3600, lease.onlyHere(eventRetention()::purge));
        }
        return revocationScheduler;
    }

    /** {@link #startRevocationScheduler(String)} with a name of its own for this process (embedded use, tests). */
    public RevocationScheduler startRevocationScheduler() {
        return startRevocationScheduler(io.hallmark.core.node.NodeIds.forProcess());
    }

    /** This node's claim on the jobs lease, once {@link #startRevocationScheduler} ran; else empty. */
    public Optional<io.hallmark.core.node.NodeLease> lease() {
        return Optional.ofNullable(lease);
    }

    /** Records events that ride in no transaction of their own (refusals, reported authentications). */
    public io.hallmark.core.telemetry.EventLog events() {
        return new io.hallmark.core.telemetry.EventLog(store, clock);
    }

    public io.hallmark.core.telemetry.EventRetention eventRetention() {
        return new io.hallmark.core.telemetry.EventRetention(store, clock);
    }

    /** The key vaults: handles that sign, never private keys. */
    public KeyVaults vaults() {
        return vaults;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Stores the hierarchy's profile definitions (audited when they change), then creates missing CAs. A profile of the
     * file replaces the stored one of its name; stored profiles the file does not name stay (a PAI's DAC profile, one
     * added with {@link #defineProfile}), since CAs and certificates refer to them.
     */
    public List<CaService.InitOutcome> init(HierarchySpec spec, String actor) {
        if (!spec.profiles().isEmpty()) {
            store.run(tx -> {
                String json = toJson(withFile(declaredProfiles(tx), spec.profiles()));
                CaService.validate(spec, new Profiles(withFile(declaredProfiles(tx), spec.profiles())));
                if (!tx.config().get(PROFILES_KEY).map(json::equals).orElse(false)) {
                    tx.config().put(PROFILES_KEY, json);
                    tx.audit().append(actor, AuditEvent.of("config.set", PROFILES_KEY, "value", json), clock.instant());
                }
            });
        } else {
            CaService.validate(spec, profiles());
        }
        return cas.init(spec, profiles(), actor);
    }

    /** Whether {@link #init} would store new profile definitions: the file declares profiles that differ from the stored ones. */
    public boolean initChangesProfiles(HierarchySpec spec) {
        if (spec.profiles().isEmpty()) return false;
        return store.read(tx -> {
            String json = toJson(withFile(declaredProfiles(tx), spec.profiles()));
            return !tx.config().get(PROFILES_KEY).map(json::equals).orElse(false);
        });
    }

    /** The stored profiles with the file's put in: same-named ones replaced in place, new ones after them. */
    private static List<Profile> withFile(List<Profile> stored, List<Profile> file) {
        java.util.Map<String, Profile> fromFile = new java.util.LinkedHashMap<>();
        for (Profile p : file) fromFile.put(p.name(), p);
        List<Profile> out = new ArrayList<>();
        for (Profile p : stored) {
            Profile replacement = fromFile.remove(p.name());
            out.add(replacement != null ? replacement : p);
        }
        out.addAll(fromFile.values());
        return out;
    }

    /**
     * Adds one declared profile beside the stored ones, audited like {@link #init}'s; the same profile again changes
     * nothing, and another profile of a name in use (declared or built in) is refused.
     */
    public void defineProfile(Profile profile, String actor) {
        if (Profiles.builtIn().all().stream().anyMatch(p -> p.name().equals(profile.name()))) {
            throw HallmarkException.conflict("profile " + profile.name() + " is built in; choose another name");
        }
        store.run(tx -> {
            List<Profile> declared = new ArrayList<>(declaredProfiles(tx));
            Optional<Profile> same = declared.stream().filter(p -> p.name().equals(profile.name())).findFirst();
            if (same.isPresent()) {
                if (same.get().equals(profile)) return;
                throw HallmarkException.conflict("profile " + profile.name() + " exists with other settings; nothing was changed");
            }
            declared.add(profile);
            String json = toJson(declared);
            tx.config().put(PROFILES_KEY, json);
            tx.audit().append(actor, AuditEvent.of("config.set", PROFILES_KEY, "value", json), clock.instant());
        });
    }

    /** Matter fabrics: RCAC, ICAC and NOCs on these CAs and this pipeline. */
    public io.hallmark.core.matter.OperationalPki matterFabrics() {
        return new io.hallmark.core.matter.OperationalPki(cas, issuer, this::profiles, this::defineProfile);
    }

    /** Matter's device attestation PKI: PAA, PAI and DACs on these CAs and this pipeline. */
    public io.hallmark.core.matter.AttestationPki matterAttestation() {
        return new io.hallmark.core.matter.AttestationPki(cas, issuer, this::profiles, this::defineProfile);
    }


    /** Signed checkpoints of the audit log ({@code hallmark audit checkpoint}, the server's periodic ones). */
    public io.hallmark.core.checkpoint.AuditCheckpoints checkpoints() {
        return new io.hallmark.core.checkpoint.AuditCheckpoints(store, vaults, clock);
    }

    /** Takes over CAs made elsewhere ({@code hallmark ca import}). */
    public io.hallmark.core.ca.CaImporter caImporter() {
        return new io.hallmark.core.ca.CaImporter(store, vaults, clock);
    }

    /** Verification certificates for cloud platforms' proof of possession ({@code hallmark register aws|azure}). */
    public io.hallmark.core.ca.VerificationCertificates verificationCertificates() {
        return new io.hallmark.core.ca.VerificationCertificates(cas, store, vaults, clock);
    }

    /** Brings an imported CA's earlier certificates into the inventory ({@code hallmark cert import}). */
    public io.hallmark.core.ca.CertificateImporter certificateImporter() {
        return new io.hallmark.core.ca.CertificateImporter(store, clock);
    }

    /** The PKI health radar's reader: the inventory overview's counts, the CAs' state, the audit chain since its last checkpoint. */
    public io.hallmark.core.posture.PostureReader posture() {
        return new io.hallmark.core.posture.PostureReader(store, () -> publication.current().crlValidityDuration(), clock);
    }

    /** The whole chain, and that it reaches the head the log records (see {@link io.hallmark.core.store.AuditLog#verify}). */
    public AuditVerification verifyAudit() {
        return store.read(tx -> tx.audit().verify());
    }

    private static Profiles loadProfiles(io.hallmark.core.store.Tx tx) {
        return new Profiles(declaredProfiles(tx));
    }

    /** The profiles stored beside the built-ins (a hierarchy file's, and those added one by one). */
    private static List<Profile> declaredProfiles(io.hallmark.core.store.Tx tx) {
        return tx.config().get(PROFILES_KEY)
                .map(json -> {
                    try {
                        return JSON.readValue(json, new TypeReference<List<Profile>>() { });
                    } catch (Exception e) {
                        throw new HallmarkException(HallmarkException.Kind.INTERNAL, "stored profiles are unreadable: " + e.getMessage(), e);
                    }
                })
                .orElse(List.of());
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
        if (revocationScheduler != null) {
            revocationScheduler.close();
        }
        if (lease != null) {
            lease.close(); // let another node take the jobs at once
        }
        store.close();
    }
}
