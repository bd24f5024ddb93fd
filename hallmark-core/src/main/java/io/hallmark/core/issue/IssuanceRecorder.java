package io.hallmark.core.issue;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.store.BoundIdentity;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.DeviceRecord;
import io.hallmark.core.store.Event;
import io.hallmark.core.store.EventType;
import io.hallmark.core.store.HardwareModuleClaim;
import io.hallmark.core.store.NewIdentity;
import io.hallmark.core.store.Store;
import io.hallmark.core.store.Tx;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The record step of every issuance, for a list of one ({@link Issuer#issue}: the CLI, EST, every enrollment
 * front end) or a factory chunk of a thousand: in one transaction, decide replays against the identities
 * every node has committed, apply {@link IssuanceRules}, confirm the grant ({@link Confirmation}), write
 * the certificates with their devices, identity bindings and hardwareModuleName claims, and append the
 * audit entry. Nothing is returned to a caller before this transaction committed.
 *
 * <p>One instance serves one signer (a CA, a profile) and one grant; {@link #commit} may be called many times.
 */
public final class IssuanceRecorder {

    /** Attempts at a list whose devices another transaction bound concurrently: the next attempt sees the winner. */
    private static final int ATTEMPTS = 5;

    /**
     * One request after the CPU half.
     *
     * @param certificate signed and validated, not yet recorded; null when the caller saw the device already
     *                    bound to this profile and did not sign (a replay is then decided here, in the transaction)
     * @param keyStorage  where the device keeps its key (secure-element, tpm, software), recorded with its identity; or null
     */
    public record Item(IssuanceSigner.Prepared prepared, CertificateRecord certificate, String keyStorage) {
        public Item {
            Objects.requireNonNull(prepared);
        }
    }

    /** What became of an item. */
    public sealed interface Outcome {
        /** Newly recorded. */
        record Recorded(CertificateRecord certificate) implements Outcome { }

        /** The device already had this identity for this key; the stored certificate, unchanged. */
        record Replayed(CertificateRecord certificate) implements Outcome { }

        /** Refused by a rule, with the reason; nothing of it was recorded. */
        record Refused(HallmarkException reason) implements Outcome { }
    }

    /** How the audit log records a commit. */
    public sealed interface AuditEntry {
        /**
         * One {@code cert.issue} entry per certificate with its details: single issuance, where an entry costs
         * little next to the request around it.
         */
        record PerCertificate(String actor) implements AuditEntry { }

        /**
         * One {@code factory.issue} entry per commit listing its serials (about 41 bytes each). Appends serialise
         * on the chain head and each hashes its predecessor, so a thousand appends per chunk would make the audit
         * log the factory's bottleneck; one entry keeps every issuance traceable to its batch, station and
         * transaction at a small fraction of the cost. Replays change nothing and are not audited.
         */
        record PerBatch(String actor, String id, String station) implements AuditEntry { }
    }

    private final Store store;
    private final IssuanceSigner signer;
    private final List<CertificateAuthority> chain;
    private final Confirmation confirmation;
    private final String station;
    private final Clock clock;

    /**
     * @param chain        the issuing CA's chain, issuing CA first: the rules check that none of it is revoked
     * @param confirmation what the grant spends, confirmed in every commit's transaction
     * @param station      the factory station the grant belongs to, recorded with each identity; null for none
     */
    public IssuanceRecorder(Store store, IssuanceSigner signer, List<CertificateAuthority> chain, Confirmation confirmation,
                            String station, Clock clock) {
        this.store = store;
        this.signer = signer;
        this.chain = List.copyOf(chain);
        this.confirmation = confirmation;
        this.station = station;
        this.clock = clock;
    }

    /**
     * The identities of the signer's profile already bound for these devices, read before signing so that a
     * replay costs no signature. Advisory: {@link #commit} decides again in its transaction.
     */
    public Map<String, BoundIdentity> bound(List<String> deviceIds) {
        if (!signer.profile().onePerDevice() || deviceIds.isEmpty()) {
            return Map.of();
        }
        return store.read(tx -> tx.issuance().identities(signer.profile().name(), deviceIds));
    }

    /**
     * Records what the rules and the grant allow, in one transaction, and says what became of each item, in
     * order. A rule about the whole list (a revoked CA, a refused grant) throws and records nothing.
     */
    public List<Outcome> commit(List<Item> items, AuditEntry audit) {
        return commit(items, audit, (tx, outcomes) -> { });
    }

    /**
     * What a caller records with the outcomes in the same transaction (a factory chunk's progress row), so that
     * what it records can never disagree with what was committed.
     */
    @FunctionalInterface
    public interface Alongside {
        void record(Tx tx, List<Outcome> outcomes);
    }

    /** {@link #commit(List, AuditEntry)}, with {@code alongside} run in the same transaction once the outcomes are decided. */
    public List<Outcome> commit(List<Item> items, AuditEntry audit, Alongside alongside) {
        for (int attempt = 1; ; attempt++) {
            try {
                return store.inTransaction(tx -> {
                    List<Outcome> outcomes = decideAndRecord(tx, items, audit);
                    alongside.record(tx, outcomes);
                    return outcomes;
                });
            } catch (HallmarkException e) {
                // Lost a race for a device to another transaction: look again, it now sees the winner.
                if (e.kind() != HallmarkException.Kind.CONFLICT || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private List<Outcome> decideAndRecord(Tx tx, List<Item> items, AuditEntry audit) {
        Profile profile = signer.profile();
        Outcome[] outcomes = new Outcome[items.size()];
        List<Integer> fresh = replays(tx, items, outcomes);
        IssuanceRules.requireUnrevokedChain(tx, chain);

        List<IssuanceRules.Candidate> candidates = new ArrayList<>(fresh.size());
        for (int i : fresh) {
            IssuanceSigner.Prepared p = items.get(i).prepared();
            candidates.add(new IssuanceRules.Candidate(p.deviceId(), p.hardwareModuleName()));
        }
        IssuanceRules.Decision rules = IssuanceRules.decide(tx, signer.ca().name(), candidates);
        List<Integer> allowed = new ArrayList<>(fresh.size());
        List<HardwareModuleClaim> claims = new ArrayList<>();
        Map<Integer, HardwareModuleClaim> claimOf = new HashMap<>();
        for (int n = 0; n < fresh.size(); n++) {
            int i = fresh.get(n);
            if (rules.refusal(n) != null) {
                outcomes[i] = new Outcome.Refused(rules.refusal(n));
            } else {
                allowed.add(i);
                if (rules.claim(n) != null) claimOf.put(i, rules.claim(n));
            }
        }

        int granted = confirmation.confirm(tx, allowed.size());
        List<NewIdentity> rows = new ArrayList<>(allowed.size());
        List<CertificateRecord> recorded = new ArrayList<>(allowed.size());
        for (int n = 0; n < allowed.size(); n++) {
            int i = allowed.get(n);
            Item item = items.get(i);
            if (n >= granted) {
                outcomes[i] = new Outcome.Refused(confirmation.exhausted(item.prepared().deviceId()));
                continue;
            }
            CertificateRecord c = item.certificate();
            HardwareModuleName hw = item.prepared().hardwareModuleName();
            DeviceRecord device = c.deviceId() == null ? null
                    : new DeviceRecord(c.deviceId(), c.issuedAt(), hw == null ? null : hw.hwType().getId(), hw == null ? null : hw.hwSerialHex());
            rows.add(new NewIdentity(c, device, profile.onePerDevice(), station, item.keyStorage()));
            if (claimOf.containsKey(i)) claims.add(claimOf.get(i));
            recorded.add(c);
            outcomes[i] = new Outcome.Recorded(c);
        }
        if (!rows.isEmpty()) {
            tx.issuance().record(rows);
            tx.devices().claimHardwareModules(claims);
            audit(tx, audit, items, outcomes, recorded);
        }
        return List.of(outcomes);
    }

    /**
     * Decides, for a profile of one identity per device, which items replay a stored identity (or are refused
     * for asking it with another key), and returns the indexes of the fresh ones. The same device twice in one
     * list: the first occurrence wins, as if committed before the second.
     */
    private List<Integer> replays(Tx tx, List<Item> items, Outcome[] outcomes) {
        Profile profile = signer.profile();
        List<Integer> fresh = new ArrayList<>(items.size());
        if (!profile.onePerDevice()) {
            for (int i = 0; i < items.size(); i++) {
                fresh.add(i);
            }
            return fresh;
        }
        List<String> devices = new ArrayList<>(items.size());
        for (Item item : items) {
            if (item.prepared().deviceId() != null) devices.add(item.prepared().deviceId());
        }
        Map<String, BoundIdentity> bound = tx.issuance().identities(profile.name(), devices);
        Map<String, CertificateRecord> firstInList = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            String device = item.prepared().deviceId();
            BoundIdentity b = bound.get(device);
            CertificateRecord stored = b != null ? b.certificate() : firstInList.get(device);
            try {
                if (stored != null) {
                    outcomes[i] = new Outcome.Replayed(IssuanceRules.replay(stored, device, profile.name(), item.prepared().keyId(), signer.ca().name()));
                } else if (item.certificate() == null) {
                    // Seen bound before signing, unbound now: re-provisioned meanwhile. Asking again signs afresh.
                    outcomes[i] = new Outcome.Refused(HallmarkException.conflict("device " + device + "'s " + profile.name()
                            + " identity was released while this request ran; send it again"));
                } else {
                    firstInList.put(device, item.certificate());
                    fresh.add(i);
                }
            } catch (HallmarkException e) {
                outcomes[i] = new Outcome.Refused(e);
            }
        }
        return fresh;
    }

    private void audit(Tx tx, AuditEntry audit, List<Item> items, Outcome[] outcomes, List<CertificateRecord> recorded) {
        String ca = signer.ca().name();
        String profile = signer.profile().name();
        switch (audit) {
            case AuditEntry.PerCertificate each -> {
                for (int i = 0; i < outcomes.length; i++) {
                    if (!(outcomes[i] instanceof Outcome.Recorded(CertificateRecord c))) continue;
                    IssuanceSigner.Prepared p = items.get(i).prepared();
                    HardwareModuleName hw = p.hardwareModuleName();
                    tx.audit().append(each.actor(), AuditEvent.of("cert.issue", c.serial(),
                            "ca", ca, "profile", profile, "device", c.deviceId(), "subject", c.subject(),
                            "key", p.keyDescription(), "sha256", c.fingerprint(),
                            "hardwareModuleName", hw == null ? null : hw.hwType().getId() + ":" + hw.hwSerialHex()), c.issuedAt());
                    tx.events().append(Event.of(c.issuedAt(), EventType.ISSUANCE, c.deviceId(), c.serial(), ca + "/" + profile));
                }
            }
            case AuditEntry.PerBatch batch -> {
                StringBuilder serials = new StringBuilder();
                for (CertificateRecord c : recorded) {
                    if (!serials.isEmpty()) serials.append(' ');
                    serials.append(c.serial());
                }
                tx.audit().append(batch.actor(), AuditEvent.of("factory.issue", batch.id(),
                        "station", batch.station(), "ca", ca, "profile", profile,
                        "count", Integer.toString(recorded.size()), "serials", serials.toString()), clock.instant());
                // One progress row per chunk, not one per certificate: the factory issues thousands a second.
                tx.events().append(new Event(clock.instant(), EventType.FACTORY, null, batch.id(), null,
                        "station " + batch.station() + ", " + ca + "/" + profile + ": " + recorded.size() + " issued", recorded.size()));
            }
        }
    }
}
