package io.hallmark.core.factory;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.IssuanceRecorder;
import io.hallmark.core.issue.IssuanceSigner;
import io.hallmark.core.issue.IssuanceRules;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.authorize.Grant;
import io.hallmark.core.enroll.EnrollmentAuthorizer;
import io.hallmark.core.enroll.EnrollmentRequest;
import io.hallmark.core.enroll.Route;
import io.hallmark.core.store.BoundIdentity;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.Revocation;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyVaults;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Streaming factory provisioning, independent of any front end: the server feeds it an NDJSON request
 * body and writes its outcomes back as NDJSON; the CLI feeds it files. Three stages:
 *
 * <ol>
 *   <li>a reader thread pulls items from the {@link ItemSource}, cuts them into chunks, looks up which
 *       devices already have an identity (one query per chunk) and hands each chunk to the workers;</li>
 *   <li>worker threads verify CSRs and sign (replays and refusals need no signature);</li>
 *   <li>a committer thread commits each chunk in one transaction, in input order;</li>
 *   <li>the calling thread hands each committed chunk's outcomes to the {@link ResultSink}, while the
 *       next chunk commits. Nothing reaches the sink before its chunk committed.</li>
 * </ol>
 *
 * Back-pressure: at most {@link #IN_FLIGHT} chunks are signed ahead of the commit, and the reader blocks
 * when they are, so memory is a few chunks whatever the batch size, and a slow sink (a slow client)
 * slows reading rather than filling the heap.
 *
 * <p>Crash safety comes from idempotency rather than from batch bookkeeping: an answered item is
 * committed; an unanswered one is either committed or not, and running the batch again returns the
 * stored certificate for the former and issues the latter. Nothing else needs to survive a crash.
 */
public final class FactoryEngine {

    /** Chunks signed ahead of the one committing: enough to keep the workers busy during a commit. */
    static final int IN_FLIGHT = 2;

    /**
     * How long a chunk waits for more items once it has one. A fast stream fills whole chunks long before
     * (the read-ahead queue is full whenever signing is the bottleneck); a station sending one device at a
     * time gets each answer about this much later than signing and committing alone would take.
     */
    static final long LINGER_MILLIS = 100;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final KeyVaults vaults;
    private final CaService cas;
    private final Supplier<Profiles> profiles;
    private final EnrollmentAuthorizer stations;
    private final Clock clock;

    private final Supplier<io.hallmark.core.publication.Publication> publication;
    /** Certificates newly issued by batches since this engine started: the factory throughput metric's counter. */
    private final java.util.concurrent.atomic.LongAdder issued = new java.util.concurrent.atomic.LongAdder();

    /** How many certificates batches have newly issued (replays and refusals not counted) since start. */
    public long issuedTotal() {
        return issued.sum();
    }

    public FactoryEngine(Store store, KeyVaults vaults, CaService cas, Supplier<Profiles> profiles, EnrollmentAuthorizer stations, Clock clock,
                         Supplier<io.hallmark.core.publication.Publication> publication) {
        this.publication = publication;
        this.store = store;
        this.vaults = vaults;
        this.cas = cas;
        this.profiles = profiles;
        this.stations = stations;
        this.clock = clock;
    }

    /**
     * Names a batch in the audit log ({@code factory.issue} entries are {@code BATCH/CHUNK}). 96 random bits, so
     * that batches started on several nodes (or processes) at the same moment never share a name; a counter or
     * the time would be unique only within one process.
     */
    static String batchId() {
        byte[] bits = new byte[12];
        RANDOM.nextBytes(bits);
        return HexFormat.of().formatHex(bits);
    }

    /** The issuing CA's chain as PEM, issuing CA first: what every device of a batch also needs. */
    public String chainPem(String ca) {
        StringBuilder pem = new StringBuilder();
        for (CertificateAuthority c : cas.chain(ca)) {
            pem.append(Pem.certificate(c.certificate()));
        }
        return pem.toString();
    }

    /**
     * Asks the station authorizer for a batch on a route: the front end passes the evidence it collected (the
     * TLS client certificate, or the station name an operator gave at the console).
     *
     * @throws io.hallmark.core.error.HallmarkException UNAUTHENTICATED when no station is presented, FORBIDDEN when
     *                                                  the station may not use this route now
     */
    public Grant authorize(String ca, String profile, List<Evidence> evidence) {
        return stations.authorize(new EnrollmentRequest(new Route(ca, profile), null, EnrollmentRequest.Purpose.BATCH, null, evidence))
                .orElseThrow(() -> HallmarkException.unauthenticated("factory stations authenticate with their client certificate"));
    }

    /**
     * Runs a batch to the end of its source. Per-item problems (bad CSR, second key for a device, quota
     * spent) become error outcomes; the batch as a whole fails only when the request is not allowed
     * (FORBIDDEN, BAD_INPUT before any item) or the store or the sink fails.
     */
    public BatchProgress run(FactoryBatch batch, ItemSource source, ResultSink sink) {
        return run(batchId(), batch, source, sink);
    }

    /** A new batch's name, for a front end that announces it before the batch starts (a response header). */
    public String newBatchId() {
        return batchId();
    }

    /**
     * {@link #run(FactoryBatch, ItemSource, ResultSink)} under a name from {@link #newBatchId}. The batch is recorded
     * (factory_batches) before its first item is read, each chunk's progress in that chunk's transaction, and its end,
     * done or failed, when it stops: what {@link FactoryBatches} reads.
     */
    public BatchProgress run(String batchId, FactoryBatch batch, ItemSource source, ResultSink sink) {
        if (batchId == null || !batchId.matches("[0-9a-f]{24}")) {
            throw HallmarkException.badInput("a batch id is 24 hex digits from newBatchId()");
        }
        // Rules about the whole batch (an unknown CA or profile, a revoked chain, a profile the publication setting
        // cannot serve) refuse it before anything is recorded.
        Profile profile = profiles.get().get(batch.profile());
        CertificateAuthority ca = cas.get(batch.ca());
        List<CertificateAuthority> chain = cas.chain(ca.name());
        // Checked again with every chunk's commit; here so that a batch under a revoked CA signs nothing.
        store.read(tx -> {
            IssuanceRules.requireUnrevokedChain(tx, chain);
            return null;
        });
        IssuanceSigner signer = new IssuanceSigner(ca, vaults.open(ca.keyRef()), profile, batch.checkEvery(), publication.get());
        store.run(tx -> tx.factoryBatches().start(new io.hallmark.core.store.FactoryBatchRecord.Start(batchId, batch.ca(), batch.profile(),
                batch.station(), batch.actor(), batch.declared(), clock.instant())));
        try {
            sink.started(batchId);
            BatchProgress progress = runRecorded(batchId, batch, chain, signer, source, sink);
            store.run(tx -> tx.factoryBatches().end(batchId, clock.instant(), false, null));
            return progress;
        } catch (RuntimeException e) {
            ended(batchId, e);
            throw e;
        } catch (Exception e) {
            ended(batchId, e);
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "factory batch stopped: " + e.getMessage(), e);
        }
    }

    /** Records a batch's failure; when the store is what failed, this may fail too, and the batch then reads as idle. */
    private void ended(String batchId, Exception cause) {
        try {
            String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            store.run(tx -> tx.factoryBatches().end(batchId, clock.instant(), true, why));
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private BatchProgress runRecorded(String batchId, FactoryBatch batch, List<CertificateAuthority> chain, IssuanceSigner signer,
                                      ItemSource source, ResultSink sink) {
        IssuanceRecorder recorder = new IssuanceRecorder(store, signer, chain, batch.grant().confirmation(), batch.station(), clock);
        ChunkCommitter committer = new ChunkCommitter(recorder, batch, batchId, clock);

        ExecutorService workers = Executors.newFixedThreadPool(batch.workers(), daemon("hallmark-factory-worker"));
        BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(IN_FLIGHT);
        Reader reader = new Reader(source, batch, signer, recorder, workers, queue);
        Thread readerThread = daemon("hallmark-factory-reader").newThread(reader);
        readerThread.start();
        long started = System.nanoTime();
        // Committing and handing results to the sink overlap: a thread of its own commits chunk k+1
        // while the caller writes chunk k out (files, a response body), which is as slow as the commit.
        BlockingQueue<Committed> committed = new ArrayBlockingQueue<>(IN_FLIGHT);
        Thread committerThread = daemon("hallmark-factory-committer").newThread(() -> commitLoop(queue, committer, committed, issued));
        committerThread.start();
        long issued = 0, existing = 0, failed = 0, done = 0;
        try {
            while (true) {
                Committed next = committed.take();
                if (next.results == null) {
                    if (next.failure != null) {
                        throw next.failure;
                    }
                    break;
                }
                for (int i = 0; i < next.results.size(); i++) {
                    FactoryResult r = next.results.get(i);
                    switch (r.status()) {
                        case FactoryResult.ISSUED -> issued++;
                        case FactoryResult.EXISTING -> existing++;
                        default -> failed++;
                    }
                    sink.accept(new BatchOutcome(r, next.chunk.get(i).item(), next.chunk.get(i).attachment()));
                }
                done += next.results.size();
                sink.chunkDone(new BatchProgress(done, issued, existing, failed, (System.nanoTime() - started) / 1_000_000));
            }
            return new BatchProgress(done, issued, existing, failed, (System.nanoTime() - started) / 1_000_000);
        } catch (HallmarkException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "factory batch interrupted", e);
        } catch (Exception e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "factory batch stopped: " + e.getMessage(), e);
        } finally {
            reader.stop();
            readerThread.interrupt();
            committerThread.interrupt();
            workers.shutdownNow();
        }
    }

    /** A committed chunk for the sink, or (results null) the end of the batch, with the failure that ended it if any. */
    private record Committed(List<ChunkCommitter.Signed> chunk, List<FactoryResult> results, Exception failure) {
    }

    /** Stage 3: commits chunks in input order; only what it passes on may be acknowledged. */
    private static void commitLoop(BlockingQueue<Pending> queue, ChunkCommitter committer, BlockingQueue<Committed> out,
                                   java.util.concurrent.atomic.LongAdder issued) {
        Exception failure = null;
        try {
            while (true) {
                Pending next = queue.take();
                if (next.end) {
                    failure = next.failure;
                    break;
                }
                List<ChunkCommitter.Signed> chunk = next.join();
                List<FactoryResult> results = committer.commit(next.firstIndex, chunk);
                issued.add(results.stream().filter(r -> FactoryResult.ISSUED.equals(r.status())).count());
                out.put(new Committed(chunk, results, null));
            }
        } catch (InterruptedException e) {
            return; // the caller stopped the batch
        } catch (Exception e) {
            failure = e;
        }
        try {
            out.put(new Committed(null, null, failure));
        } catch (InterruptedException ignored) {
            // the caller is gone
        }
    }

    /**
     * Re-provisioning, the one way a device gets a second identity of a profile: its current certificate
     * is revoked and the binding released in one audited transaction. The next request for the device,
     * batch or single, then issues for whatever key it presents.
     *
     * @return the serial of the revoked certificate
     */
    public String reprovision(String deviceId, String profile, String reason, RevocationReason revocationReason, String actor) {
        if (reason == null || reason.isBlank()) {
            throw HallmarkException.badInput("re-provisioning needs a reason for the audit log");
        }
        Profile p = profiles.get().get(profile);
        if (!p.onePerDevice()) {
            throw HallmarkException.badInput("profile " + profile + " allows several certificates per device; nothing to re-provision");
        }
        return store.inTransaction(tx -> {
            String serial = tx.devices().identity(deviceId, profile)
                    .orElseThrow(() -> HallmarkException.notFound("device " + deviceId + " has no " + profile + " identity"));
            java.time.Instant now = clock.instant();
            tx.certificates().revoke(serial, new Revocation(revocationReason, now, null));
            tx.issuance().unbind(deviceId, profile);
            tx.audit().append(actor, AuditEvent.of("device.reprovision", deviceId, "profile", profile, "revoked", serial,
                    "revocationReason", revocationReason.name(), "reason", reason), now);
            return serial;
        });
    }

    /** A chunk on its way through the workers, or the end of the input. */
    private static final class Pending {
        final long firstIndex;
        final List<CompletableFuture<List<ChunkCommitter.Signed>>> slices;
        final boolean end;
        final Exception failure;

        Pending(long firstIndex, List<CompletableFuture<List<ChunkCommitter.Signed>>> slices) {
            this.firstIndex = firstIndex;
            this.slices = slices;
            this.end = false;
            this.failure = null;
        }

        Pending(Exception failure) {
            this.firstIndex = -1;
            this.slices = List.of();
            this.end = true;
            this.failure = failure;
        }

        List<ChunkCommitter.Signed> join() throws InterruptedException, ExecutionException {
            List<ChunkCommitter.Signed> all = new ArrayList<>();
            for (var slice : slices) {
                all.addAll(slice.get());
            }
            return all;
        }
    }

    /** Stage 1: reads, chunks, pre-looks-up identities, dispatches to the workers. */
    private final class Reader implements Runnable {
        private final ItemSource source;
        private final FactoryBatch batch;
        private final IssuanceSigner signer;
        private final IssuanceRecorder recorder;
        private final ExecutorService workers;
        private final BlockingQueue<Pending> queue;
        private volatile boolean stopped;

        Reader(ItemSource source, FactoryBatch batch, IssuanceSigner signer, IssuanceRecorder recorder, ExecutorService workers,
               BlockingQueue<Pending> queue) {
            this.source = source;
            this.batch = batch;
            this.signer = signer;
            this.recorder = recorder;
            this.workers = workers;
            this.queue = queue;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            Exception failure = null;
            try (ReadAhead input = new ReadAhead(source, batch.chunkSize(), "hallmark-factory-input")) {
                long index = 0;
                boolean ended = false;
                while (!ended && !stopped) {
                    List<BatchItem> chunk = new ArrayList<>(batch.chunkSize());
                    long deadline = 0;
                    while (chunk.size() < batch.chunkSize()) {
                        // The first item of a chunk is waited for as long as it takes; later ones until the
                        // chunk's deadline, so a paused or slow input gets its answers within LINGER_MILLIS.
                        ReadAhead.Poll next = input.next(chunk.isEmpty() ? -1 : Math.max(0, deadline - System.currentTimeMillis()));
                        if (next.ended()) {
                            ended = true;
                            break;
                        }
                        if (next.item() == null) {
                            break;
                        }
                        if (chunk.isEmpty()) {
                            deadline = System.currentTimeMillis() + LINGER_MILLIS;
                        }
                        chunk.add(next.item());
                    }
                    if (!chunk.isEmpty()) {
                        queue.put(new Pending(index, dispatch(chunk)));
                        index += chunk.size();
                    }
                }
            } catch (InterruptedException e) {
                return; // the committer stopped us; it reports why
            } catch (Exception e) {
                failure = e;
            }
            try {
                queue.put(new Pending(failure));
            } catch (InterruptedException ignored) {
                // the committer is gone
            }
        }

        /**
         * Knowing which devices are already provisioned before signing means a re-run after a crash
         * verifies the CSRs of the committed part but signs nothing for it. The committer checks again
         * inside its transaction, which is what actually decides.
         */
        private List<CompletableFuture<List<ChunkCommitter.Signed>>> dispatch(List<BatchItem> chunk) {
            Map<String, BoundIdentity> known = recorder.bound(
                    chunk.stream().filter(b -> b.item() != null && b.item().deviceSerial() != null).map(b -> b.item().deviceSerial()).toList());
            int slices = Math.min(chunk.size(), batch.workers() * 2);
            int per = (chunk.size() + slices - 1) / slices;
            List<CompletableFuture<List<ChunkCommitter.Signed>>> futures = new ArrayList<>();
            for (int from = 0; from < chunk.size(); from += per) {
                List<BatchItem> slice = chunk.subList(from, Math.min(chunk.size(), from + per));
                futures.add(CompletableFuture.supplyAsync(() -> {
                    List<ChunkCommitter.Signed> out = new ArrayList<>(slice.size());
                    for (BatchItem b : slice) {
                        out.add(ChunkCommitter.prepare(b, signer, known, clock));
                    }
                    return out;
                }, workers));
            }
            return futures;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
