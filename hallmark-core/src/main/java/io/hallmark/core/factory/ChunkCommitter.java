package io.hallmark.core.factory;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.IssuanceRecorder;
import io.hallmark.core.issue.IssuanceSigner;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.store.BoundIdentity;
import io.hallmark.core.store.CertificateRecord;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stage 2 (workers: {@link #prepare}) and stage 3 (committer: {@link #commit}) of the factory pipeline: the
 * issuance pipeline's prepare and sign steps ({@link IssuanceSigner}) on many threads, its record step
 * ({@link IssuanceRecorder}) once per chunk, in input order. This class only carries items between them and
 * turns outcomes into results; every rule lives in those two.
 */
final class ChunkCommitter {

    /** One item after the workers: prepared (and signed, unless its device was seen bound), or refused. */
    record Signed(FactoryItem item, Object attachment, IssuanceSigner.Prepared prepared, CertificateRecord certificate,
                  HallmarkException.Kind errorKind, String error) {

        static Signed error(BatchItem b, HallmarkException.Kind kind, String message) {
            return new Signed(b.item(), b.attachment(), null, null, kind, message);
        }

        boolean refused() {
            return prepared == null;
        }
    }

    private final IssuanceRecorder recorder;
    private final FactoryBatch batch;
    private final String batchId;
    private final Clock clock;
    private long chunks;

    ChunkCommitter(IssuanceRecorder recorder, FactoryBatch batch, String batchId, Clock clock) {
        this.recorder = recorder;
        this.batch = batch;
        this.batchId = batchId;
        this.clock = clock;
    }

    /**
     * Worker side: check the request, and sign it unless the reader saw its device already bound (a replay
     * after a crash then verifies the CSR but spends no signature; the record step decides). Never throws.
     */
    static Signed prepare(BatchItem b, IssuanceSigner signer, Map<String, BoundIdentity> known, Clock clock) {
        if (b.item() == null) {
            return Signed.error(b, HallmarkException.Kind.BAD_INPUT, b.inputError());
        }
        try {
            HardwareModuleName hw = b.item().validated();
            IssuanceSigner.Prepared p = signer.prepare(b.item().csrBytes(), b.item().deviceSerial(), hw);
            CertificateRecord signed = known.containsKey(p.deviceId()) ? null : signer.sign(p, clock.instant());
            return new Signed(b.item(), b.attachment(), p, signed, null, null);
        } catch (HallmarkException e) {
            return Signed.error(b, e.kind(), e.getMessage());
        } catch (RuntimeException e) {
            return Signed.error(b, HallmarkException.Kind.INTERNAL, "cannot issue: " + e);
        }
    }

    /**
     * Committer side: records the chunk in one transaction, with its row of the batch's progress, and returns its
     * results in input order.
     */
    List<FactoryResult> commit(long firstIndex, List<Signed> chunk) {
        long number = ++chunks;
        List<IssuanceRecorder.Item> items = new ArrayList<>(chunk.size());
        for (Signed s : chunk) {
            if (!s.refused()) items.add(new IssuanceRecorder.Item(s.prepared(), s.certificate(), s.item().keyStorage()));
        }
        long refusedByWorkers = chunk.size() - items.size();
        List<IssuanceRecorder.Outcome> outcomes = recorder.commit(items,
                new IssuanceRecorder.AuditEntry.PerBatch(batch.actor(), batchId + "/" + number, batch.station()), (tx, decided) -> {
                    long issued = 0, existing = 0, failed = refusedByWorkers;
                    for (IssuanceRecorder.Outcome o : decided) {
                        switch (o) {
                            case IssuanceRecorder.Outcome.Recorded r -> issued++;
                            case IssuanceRecorder.Outcome.Replayed r -> existing++;
                            case IssuanceRecorder.Outcome.Refused r -> failed++;
                        }
                    }
                    tx.factoryBatches().chunk(batchId, number, clock.instant(), chunk.size(), issued, existing, failed);
                });
        List<FactoryResult> results = new ArrayList<>(chunk.size());
        int next = 0;
        for (int i = 0; i < chunk.size(); i++) {
            Signed s = chunk.get(i);
            results.add(result(firstIndex + i, s, s.refused() ? null : outcomes.get(next++)));
        }
        return results;
    }

    private static FactoryResult result(long index, Signed s, IssuanceRecorder.Outcome outcome) {
        String device = s.item() == null ? null : s.item().deviceSerial();
        // DER: the sink encodes it as its wire needs (PEM for NDJSON and bundles, nothing for frames).
        return switch (outcome) {
            case null -> FactoryResult.error(index, device, s.error(), s.errorKind().name());
            case IssuanceRecorder.Outcome.Refused(HallmarkException e) -> FactoryResult.error(index, device, e.getMessage(), e.kind().name());
            case IssuanceRecorder.Outcome.Recorded(CertificateRecord c) -> certificate(index, device, FactoryResult.ISSUED, c);
            case IssuanceRecorder.Outcome.Replayed(CertificateRecord c) -> certificate(index, device, FactoryResult.EXISTING, c);
        };
    }

    private static FactoryResult certificate(long index, String device, String status, CertificateRecord c) {
        return FactoryResult.withDer(index, device, status, c.serial(), c.der(), c.fingerprint(), c.keyId(), c.notAfter().toString(), null, null);
    }
}
