package io.hallmark.core.factory;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.IssuanceSigner;
import io.hallmark.core.issue.IssuanceRules;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.station.StationService;
import io.hallmark.core.store.BoundIdentity;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.DeviceRecord;
import io.hallmark.core.store.HardwareModuleClaim;
import io.hallmark.core.store.NewIdentity;
import io.hallmark.core.store.Store;
import io.hallmark.core.store.Tx;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 2 (workers: {@link #prepare}) and stage 3 (committer: {@link #commit}) of the factory pipeline.
 *
 * <p>Audit: one {@code factory.issue} entry per committed chunk, listing the serials it issued, rather
 * than one entry per certificate. Appends serialise on the chain head and each one hashes its
 * predecessor, so a thousand appends per chunk would make the audit log the factory's bottleneck;
 * one entry listing the serials (about 41 bytes each) keeps every issuance traceable to its batch,
 * station and transaction at a small fraction of that cost. Replays change nothing and are not audited.
 */
final class ChunkCommitter {

    /** Attempts at a chunk whose devices another station or node bound concurrently. */
    private static final int ATTEMPTS = 5;

    enum Kind { FRESH, EXISTING, ERROR }

    /** One item after the workers: signed but unrecorded, already recorded, or refused. */
    record Signed(FactoryItem item, Object attachment, Kind kind, IssuanceSigner.Prepared prepared, CertificateRecord certificate,
                  HallmarkException.Kind errorKind, String error) {

        static Signed error(BatchItem b, HallmarkException.Kind kind, String message) {
            return new Signed(b.item(), b.attachment(), Kind.ERROR, null, null, kind, message);
        }

        Signed refused(HallmarkException e) {
            return new Signed(item, attachment, Kind.ERROR, null, null, e.kind(), e.getMessage());
        }

        Signed existing(CertificateRecord stored) {
            return new Signed(item, attachment, Kind.EXISTING, prepared, stored, null, null);
        }
    }

    private final Store store;
    private final IssuanceSigner signer;
    private final List<CertificateAuthority> chain;
    private final FactoryBatch batch;
    private final String batchId;
    private final Clock clock;
    private long chunks;

    /** @param chain the issuing CA's chain, issuing CA first: the rules check none of it is revoked */
    ChunkCommitter(Store store, IssuanceSigner signer, List<CertificateAuthority> chain, FactoryBatch batch, String batchId, Clock clock) {
        this.store = store;
        this.signer = signer;
        this.chain = chain;
        this.batch = batch;
        this.batchId = batchId;
        this.clock = clock;
    }

    /** Worker side: check, decide against what the reader saw in the store, sign if new. Never throws. */
    static Signed prepare(BatchItem b, IssuanceSigner signer, Map<String, BoundIdentity> known, Clock clock) {
        if (b.item() == null) {
            return Signed.error(b, HallmarkException.Kind.BAD_INPUT, b.inputError());
        }
        try {
            HardwareModuleName hw = b.item().validated();
            IssuanceSigner.Prepared p = signer.prepare(b.item().csrBytes(), b.item().deviceSerial(), hw);
            BoundIdentity bound = known.get(p.deviceId());
            if (bound != null) {
                return new Signed(b.item(), b.attachment(), Kind.EXISTING, p, replayable(bound, p, signer), null, null);
            }
            CertificateRecord signed = signer.sign(p, clock.instant());
            return new Signed(b.item(), b.attachment(), Kind.FRESH, p, signed, null, null);
        } catch (HallmarkException e) {
            return Signed.error(b, e.kind(), e.getMessage());
        } catch (RuntimeException e) {
            return Signed.error(b, HallmarkException.Kind.INTERNAL, "cannot issue: " + e);
        }
    }

    /** The same rules as single issuance ({@code Issuer}): same key gets the stored certificate, anything else is refused. */
    static CertificateRecord replayable(BoundIdentity bound, IssuanceSigner.Prepared p, IssuanceSigner signer) {
        return IssuanceRules.replay(bound.certificate(), p.deviceId(), signer.profile().name(), p.keyId(), signer.ca().name());
    }

    /** Committer side: records the chunk in one transaction and returns its results in input order. */
    List<FactoryResult> commit(long firstIndex, List<Signed> chunk) {
        long number = ++chunks;
        for (int attempt = 1; ; attempt++) {
            try {
                List<Signed> decided = store.inTransaction(tx -> decideAndRecord(tx, chunk, number));
                List<FactoryResult> results = new ArrayList<>(decided.size());
                for (int i = 0; i < decided.size(); i++) {
                    results.add(result(firstIndex + i, decided.get(i)));
                }
                return results;
            } catch (HallmarkException e) {
                // Lost a race for a device to another transaction: look again, it now sees the winner.
                if (e.kind() != HallmarkException.Kind.CONFLICT || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private List<Signed> decideAndRecord(Tx tx, List<Signed> chunk, long number) {
        Profile profile = signer.profile();
        List<Signed> decided = new ArrayList<>(chunk);
        Map<String, BoundIdentity> bound = profile.onePerDevice()
                ? tx.factory().identities(profile.name(), chunk.stream().filter(s -> s.kind() == Kind.FRESH).map(s -> s.prepared().deviceId()).toList())
                : Map.of();
        Map<String, Signed> firstInChunk = new HashMap<>();
        List<Integer> fresh = new ArrayList<>();
        for (int i = 0; i < decided.size(); i++) {
            Signed s = decided.get(i);
            if (s.kind() != Kind.FRESH || !profile.onePerDevice()) {
                if (s.kind() == Kind.FRESH) fresh.add(i);
                continue;
            }
            String device = s.prepared().deviceId();
            try {
                BoundIdentity b = bound.get(device);
                Signed first = firstInChunk.get(device);
                if (b != null) {
                    decided.set(i, s.existing(replayable(b, s.prepared(), signer)));
                } else if (first != null) {
                    // The same device twice in one chunk: the first occurrence wins, as if committed before.
                    decided.set(i, s.existing(replayable(new BoundIdentity(device, profile.name(), first.certificate()), s.prepared(), signer)));
                } else {
                    firstInChunk.put(device, s);
                    fresh.add(i);
                }
            } catch (HallmarkException e) {
                decided.set(i, s.refused(e));
            }
        }
        if (batch.station() != null) {
            StationService.authorize(tx, batch.station(), signer.ca().name(), profile.name(), clock.instant());
        }
        IssuanceRules.requireUnrevokedChain(tx, chain);
        List<IssuanceRules.Candidate> candidates = new ArrayList<>(fresh.size());
        for (int i : fresh) {
            IssuanceSigner.Prepared p = decided.get(i).prepared();
            candidates.add(new IssuanceRules.Candidate(p.deviceId(), p.hardwareModuleName()));
        }
        IssuanceRules.Decision rules = IssuanceRules.decide(tx, signer.ca().name(), candidates);
        List<Integer> allowed = new ArrayList<>(fresh.size());
        Map<Integer, HardwareModuleClaim> claimOf = new HashMap<>();
        for (int n = 0; n < fresh.size(); n++) {
            int i = fresh.get(n);
            if (rules.refusal(n) != null) {
                decided.set(i, decided.get(i).refused(rules.refusal(n)));
            } else {
                allowed.add(i);
                if (rules.claim(n) != null) claimOf.put(i, rules.claim(n));
            }
        }
        fresh = allowed;
        long granted = fresh.size();
        if (batch.station() != null && !fresh.isEmpty()) {
            granted = tx.stations().reserve(batch.station(), fresh.size());
        }
        List<NewIdentity> rows = new ArrayList<>(fresh.size());
        List<HardwareModuleClaim> claims = new ArrayList<>();
        StringBuilder serials = new StringBuilder();
        for (int n = 0; n < fresh.size(); n++) {
            int i = fresh.get(n);
            Signed s = decided.get(i);
            if (n >= granted) {
                decided.set(i, s.refused(new HallmarkException(HallmarkException.Kind.FORBIDDEN,
                        "station " + batch.station() + " has used its quota; nothing was issued for device " + s.prepared().deviceId())));
                continue;
            }
            CertificateRecord c = s.certificate();
            HardwareModuleName hw = s.prepared().hardwareModuleName();
            DeviceRecord device = c.deviceId() == null ? null
                    : new DeviceRecord(c.deviceId(), c.issuedAt(), hw == null ? null : hw.hwType().getId(), hw == null ? null : hw.hwSerialHex());
            rows.add(new NewIdentity(c, device, profile.onePerDevice(), batch.station(), s.item().keyStorage()));
            if (claimOf.containsKey(i)) claims.add(claimOf.get(i));
            if (!serials.isEmpty()) serials.append(' ');
            serials.append(c.serial());
        }
        if (!rows.isEmpty()) {
            tx.factory().record(rows);
            tx.devices().claimHardwareModules(claims);
            Instant now = clock.instant();
            tx.audit().append(batch.actor(), AuditEvent.of("factory.issue", batchId + "/" + number,
                    "station", batch.station(), "ca", signer.ca().name(), "profile", profile.name(),
                    "count", Integer.toString(rows.size()), "serials", serials.toString()), now);
        }
        return decided;
    }

    private static FactoryResult result(long index, Signed s) {
        String device = s.item() == null ? null : s.item().deviceSerial();
        if (s.kind() == Kind.ERROR) {
            return FactoryResult.error(index, device, s.error(), s.errorKind().name());
        }
        CertificateRecord c = s.certificate();
        // DER: the sink encodes it as its wire needs (PEM for NDJSON and bundles, nothing for frames).
        return FactoryResult.withDer(index, device, s.kind() == Kind.FRESH ? FactoryResult.ISSUED : FactoryResult.EXISTING,
                c.serial(), c.der(), c.fingerprint(), c.keyId(), c.notAfter().toString(), null, null);
    }
}
