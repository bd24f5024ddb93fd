package io.hallmark.core.station;

import io.hallmark.core.access.ClientCertificates;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.issue.Issuer;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.StationRecord;
import io.hallmark.core.store.Store;
import io.hallmark.core.store.Tx;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Factory stations: registered clients that authenticate with their own client certificate and may
 * request certificates of the CAs and profiles they were registered for, within a quota and a window.
 */
public final class StationService {

    public static final String CLIENT_PROFILE = "client";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");

    private final Store store;
    private final CaService cas;
    private final Issuer issuer;
    private final Supplier<Profiles> profiles;
    private final Clock clock;

    public StationService(Store store, CaService cas, Issuer issuer, Supplier<Profiles> profiles, Clock clock) {
        this.store = store;
        this.cas = cas;
        this.issuer = issuer;
        this.profiles = profiles;
        this.clock = clock;
    }

    /**
     * Registers a station and issues its client certificate: for {@code csr} if given, else for a P-256
     * key generated here and returned once. The certificate is issued before the station row is written
     * (issuance runs its own transaction); if the second step fails, the certificate is bound to no station
     * and authorizes nothing, since rights come from the station row alone.
     */
    public StationCredentials create(StationSpec spec, byte[] csr, String actor) {
        if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
            throw HallmarkException.badInput("station name '" + spec.name() + "' must be 1 to 63 lowercase letters, digits, '.', '_' or '-'");
        }
        if (spec.cas().isEmpty() || spec.profiles().isEmpty()) {
            throw HallmarkException.badInput("a station needs at least one CA (--ca) and one profile (--profile)");
        }
        for (String p : spec.profiles()) {
            if (profiles.get().get(p).kind().isCa()) {
                throw HallmarkException.badInput("profile " + p + " is for CAs; stations request device certificates");
            }
        }
        for (String name : spec.cas()) {
            CertificateAuthority ca = cas.get(name);
            if (spec.profiles().stream().noneMatch(ca::issues)) {
                throw HallmarkException.badInput("CA " + name + " issues none of the profiles " + spec.profiles() + " (it issues: "
                        + (ca.profiles().isEmpty() ? "nothing" : String.join(", ", ca.profiles())) + ")");
            }
        }
        if (spec.quota() != null && spec.quota() < 0) {
            throw HallmarkException.badInput("quota must not be negative");
        }
        if (spec.validFrom() != null && spec.validUntil() != null && !spec.validFrom().isBefore(spec.validUntil())) {
            throw HallmarkException.badInput("the station's validity window ends before it starts");
        }
        if (store.inTransaction(tx -> tx.stations().find(spec.name())).isPresent()) {
            throw HallmarkException.conflict("a station named '" + spec.name() + "' already exists");
        }
        KeyPair generated = null;
        byte[] request = csr;
        if (request == null) {
            generated = KeyAlgorithm.EC_P256.generate();
            X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, spec.name());
            subject.addRDN(BCStyle.OU, "Hallmark factory station");
            if (spec.site() != null) subject.addRDN(BCStyle.O, spec.site());
            request = Csrs.create(generated, KeyAlgorithm.EC_P256, subject.build());
        }
        String clientCa = spec.clientCa() == null ? "clients-ca" : spec.clientCa();
        IssuedCertificate issued = issuer.issue(new IssuanceRequest(clientCa, CLIENT_PROFILE, request, null, null, actor));
        CertificateRecord cert = issued.certificate();
        Instant now = clock.instant();
        StationRecord station = new StationRecord(spec.name(), spec.site(), spec.productLine(), spec.cas(), spec.profiles(), spec.quota(),
                spec.validFrom(), spec.validUntil(), cert.serial(), cert.fingerprint(), 0, now, null);
        store.run(tx -> {
            tx.stations().insert(station);
            tx.audit().append(actor, AuditEvent.of("station.create", spec.name(), "site", spec.site(), "productLine", spec.productLine(),
                    "cas", String.join(",", spec.cas()), "profiles", String.join(",", spec.profiles()),
                    "quota", spec.quota() == null ? null : spec.quota().toString(),
                    "certificate", cert.serial(), "sha256", cert.fingerprint()), now);
        });
        return new StationCredentials(station, cert.der(), issued.chain(), generated == null ? null : Csrs.privateKeyPem(generated));
    }

    /**
     * Disables a station: from this transaction on it may issue nothing (a batch it is running stops at its next
     * chunk, which reads its rights again) until {@link #enable}d. Its record, certificate and count stay.
     */
    public StationRecord disable(String name, String actor) {
        return change(name, actor, "station.disable", tx -> tx.stations().setDisabled(name, clock.instant()));
    }

    public StationRecord enable(String name, String actor) {
        return change(name, actor, "station.enable", tx -> tx.stations().setDisabled(name, null));
    }

    /**
     * Sets how many certificates a station may obtain in all (null: no limit). A quota below what it already obtained
     * lets it obtain nothing more; replays stay free.
     */
    public StationRecord setQuota(String name, Long quota, String actor) {
        if (quota != null && quota < 0) {
            throw HallmarkException.badInput("quota must not be negative");
        }
        return change(name, actor, "station.quota", tx -> tx.stations().setQuota(name, quota), "quota", quota == null ? "unlimited" : quota.toString());
    }

    private StationRecord change(String name, String actor, String action, Store.TxConsumer work, String... details) {
        return store.inTransaction(tx -> {
            tx.stations().find(name).orElseThrow(() -> HallmarkException.notFound("no station named '" + name + "'"));
            work.accept(tx);
            tx.audit().append(actor, AuditEvent.of(action, name, details), clock.instant());
            return tx.stations().find(name).orElseThrow();
        });
    }

    public List<StationRecord> list() {
        return store.inTransaction(tx -> tx.stations().all());
    }

    public StationRecord get(String name) {
        return store.inTransaction(tx -> tx.stations().find(name))
                .orElseThrow(() -> HallmarkException.notFound("no station named '" + name + "'"));
    }

    /**
     * Decides whether a station may request certificates of {@code profile} from {@code ca} now. The
     * server calls it for every request with the SHA-256 fingerprint of the client certificate that mutual
     * TLS presented; the CLI with a station name. Quota is not checked here, since replays cost none of
     * it: the committing transaction spends it.
     *
     * @param station a certificate fingerprint (64 hex digits) or a station name
     * @throws HallmarkException FORBIDDEN with the reason
     */
    public StationRecord authorize(String station, String ca, String profile) {
        Instant now = clock.instant();
        return store.inTransaction(tx -> authorize(tx, station, ca, profile, now));
    }

    /**
     * The same decision read through {@code tx}: a factory batch takes it again in every chunk's transaction,
     * so a station whose certificate is revoked, or whose window closes, during a long batch stops at its next
     * chunk, on whichever node runs the batch.
     */
    public static StationRecord authorize(Tx tx, String station, String ca, String profile, Instant now) {
        boolean byFingerprint = station != null && FINGERPRINT.matcher(station).matches();
        StationRecord s = (byFingerprint ? tx.stations().findByFingerprint(station) : tx.stations().find(station))
                .orElseThrow(() -> forbidden(byFingerprint ? "no station is registered with certificate " + station : "no station named '" + station + "'"));
        if (s.disabledAt() != null) {
            throw forbidden("station " + s.name() + " is disabled (since " + s.disabledAt() + ")");
        }
        ClientCertificates.requireCurrent(tx.certificates().find(s.certSerial()).orElse(null), s.certSerial(), "station " + s.name() + ": its certificate",
                now, StationService::forbidden);
        if (s.validFrom() != null && now.isBefore(s.validFrom())) {
            throw forbidden("station " + s.name() + " may not issue before " + s.validFrom());
        }
        if (s.validUntil() != null && now.isAfter(s.validUntil())) {
            throw forbidden("station " + s.name() + " may not issue after " + s.validUntil());
        }
        if (!s.cas().contains(ca)) {
            throw forbidden("station " + s.name() + " may not use CA " + ca + " (allowed: " + String.join(", ", s.cas()) + ")");
        }
        if (!s.profiles().contains(profile)) {
            throw forbidden("station " + s.name() + " may not request profile " + profile + " (allowed: " + String.join(", ", s.profiles()) + ")");
        }
        return s;
    }

    private static HallmarkException forbidden(String message) {
        return new HallmarkException(HallmarkException.Kind.FORBIDDEN, message);
    }
}
