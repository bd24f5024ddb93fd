package io.hallmark.core.revoke;

import io.hallmark.core.ca.CaService;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.revoke.CrlService.GeneratedCrl;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.CrlBase;
import io.hallmark.core.store.PublishedCrl;
import io.hallmark.core.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Serves CRLs and CA certificates by their published file names, for {@code GET /crl/NAME.crl} and
 * {@code GET /ca/NAME.crt}. Every CRL it signs is stored ({@link io.hallmark.core.store.CrlRepository#savePublished},
 * kept only if its number is higher than the stored one's), and every request first reads the stored number of its
 * scope (a primary-key read): a node serves the newest stored CRL, so CRL numbers never go down for a relying party
 * that alternates between nodes.
 *
 * <p>Only the node that signs ({@link #signOnlyWhile}: the holder of the jobs lease; every node when there is no
 * lease, as in the CLI or a single embedded instance) re-signs a CRL when it is due: revocations happened since
 * (delta and partition CRLs at once, and a CA-wide complete CRL of fewer than {@link #LARGE_ENTRIES}; a larger one at
 * most once per {@code crlRefresh}, because re-signing it takes seconds and deltas carry the news meanwhile), or half of its validity has passed even with nothing new, so relying
 * parties never hold one near its nextUpdate. It does so on request, and ahead of requests in {@link #refreshDue}.
 * Another node serves what is stored, and signs a scope itself only when none is stored yet (a partition nobody asked
 * for before): its number comes from the shared per-CA sequence, so it still never steps back. Each request reads
 * the revocation sequence too, so a revocation committed anywhere before it is seen; {@link #poll()} keeps the
 * scheduler's view current between requests.
 */
public final class CrlPublisher implements Revoker.Listener {

    private static final Pattern NAME = Pattern.compile("([a-z0-9][a-z0-9-]{0,47}?)(?:-(\\d{1,5}))?(-delta)?\\.crl");
    /** A CA-wide complete CRL from this many entries on (about 0.5 MB) is re-signed for revocations at most every crlRefresh. */
    static final int LARGE_ENTRIES = 10_000;
    private static final Duration LOG_FAILURE_EVERY = Duration.ofMinutes(5);
    private static final System.Logger LOG = System.getLogger(CrlPublisher.class.getName());

    private record Scope(String ca, Integer partition, boolean delta) {
        PublishedCrl.Scope stored() {
            return new PublishedCrl.Scope(ca, partition == null ? CrlBase.WHOLE_CA : partition, delta);
        }

        static Scope of(PublishedCrl.Scope s) {
            return new Scope(s.caName(), s.partition() == CrlBase.WHOLE_CA ? null : s.partition(), s.delta());
        }
    }

    private final Store store;
    private final CaService cas;
    private final CrlService crls;
    private final PublicationSettings settings;
    private final Clock clock;
    private final Map<Scope, GeneratedCrl> cache = new ConcurrentHashMap<>();
    private final Map<Scope, Object> locks = new ConcurrentHashMap<>();
    private final Map<Scope, Instant> failureLogged = new ConcurrentHashMap<>();
    private volatile BooleanSupplier signs = () -> true;
    private volatile long knownSeq = -1;

    public CrlPublisher(Store store, CaService cas, CrlService crls, PublicationSettings settings, Clock clock) {
        this.store = store;
        this.cas = cas;
        this.crls = crls;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Re-signs due CRLs only while {@code holder} says so (the jobs lease); otherwise serves the stored ones. Without
     * this call, this node re-signs whatever is due.
     */
    public void signOnlyWhile(BooleanSupplier holder) {
        this.signs = holder;
    }

    /**
     * The current CRL published as {@code fileName} ({@code ldevid-ca.crl}, {@code ldevid-ca-7.crl},
     * {@code ldevid-ca-delta.crl}, {@code ldevid-ca-7-delta.crl}): the newest stored one, or a fresh one if this node
     * signs and it is due.
     *
     * @throws HallmarkException NOT_FOUND for a name that is no CRL here
     */
    public GeneratedCrl crl(String fileName) {
        Scope scope = parse(fileName);
        // The revocation sequence and the stored number, read on every request (one row each): a revocation committed
        // just before, by any node or a command-line process, makes the CRL due at once instead of after the next poll.
        record Seen(long seq, Long stored) {
        }
        Seen seen = store.read(tx -> new Seen(tx.certificates().revocationSequence(), tx.crls().publishedNumber(scope.stored()).orElse(null)));
        knownSeq = Math.max(knownSeq, seen.seq());
        return current(scope, seen.stored(), signs.getAsBoolean());
    }

    /** The DER certificate of a CA published as {@code NAME.crt} (AIA caIssuers). */
    public byte[] caCertificate(String fileName) {
        if (fileName == null || !fileName.endsWith(".crt")) {
            throw HallmarkException.notFound("no CA certificate named '" + fileName + "'");
        }
        String name = fileName.substring(0, fileName.length() - 4);
        return cas.list().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> HallmarkException.notFound("no CA named '" + name + "'")).certificate();
    }

    /** Reads the store's revocation sequence (cheap): what other nodes revoked makes cached CRLs stale. */
    public void poll() {
        knownSeq = store.read(tx -> tx.certificates().revocationSequence()); // a read: on SQLite it takes no write lock
    }

    @Override
    public void revoked(List<CertificateRecord> revoked) {
        // Nothing to do: every request reads the revocation sequence itself.
    }

    /**
     * Per CA, the earliest nextUpdate among the CRLs this node serves (complete, partitions, deltas): what a
     * relying party holding them must refetch by. Read from memory, for metrics.
     */
    public Map<String, Instant> nextUpdates() {
        Map<String, Instant> earliest = new java.util.TreeMap<>();
        for (Map.Entry<Scope, GeneratedCrl> e : cache.entrySet()) {
            earliest.merge(e.getKey().ca(), e.getValue().nextUpdate(), (a, b) -> a.isBefore(b) ? a : b);
        }
        return earliest;
    }

    /**
     * Signs every CRL that is due, for the scheduler of the node that signs, so requests rarely wait on signing and
     * other nodes find fresh ones stored: the CA-wide complete and delta CRL of every CA with a key, and every scope
     * stored or served before (partitions are signed once asked for, not all 65,536 a CA may have). One scope that
     * fails (a key this node cannot reach) does not hold up the others.
     */
    public void refreshDue() {
        poll();
        Map<PublishedCrl.Scope, Long> stored = store.read(tx -> tx.crls().publishedNumbers());
        Set<Scope> scopes = new java.util.LinkedHashSet<>();
        for (CertificateAuthority ca : cas.list()) {
            if (!ca.hasKey()) continue;
            scopes.add(new Scope(ca.name(), null, false));
            scopes.add(new Scope(ca.name(), null, true));
        }
        stored.keySet().forEach(s -> scopes.add(Scope.of(s)));
        scopes.addAll(cache.keySet());
        for (Scope scope : scopes) {
            try {
                current(scope, stored.get(scope.stored()), true);
                failureLogged.remove(scope);
            } catch (RuntimeException e) {
                Instant now = clock.instant();
                Instant last = failureLogged.get(scope);
                if (last == null || Duration.between(last, now).compareTo(LOG_FAILURE_EVERY) >= 0) {
                    failureLogged.put(scope, now);
                    LOG.log(System.Logger.Level.WARNING, "cannot sign the CRL " + scope.stored() + ": " + e.getMessage()
                            + " (said again at most every " + LOG_FAILURE_EVERY.toMinutes() + " minutes)");
                }
            }
        }
    }

    /**
     * The CRL to serve for {@code scope}, given the number stored for it (null: none): the stored one when it is newer
     * than this node's, a fresh one when nothing is stored or this node signs and it is due.
     */
    private GeneratedCrl current(Scope scope, Long storedNumber, boolean mayResign) {
        GeneratedCrl cached = cache.get(scope);
        if (storedNumber != null && (cached == null || storedNumber > cached.number())) {
            cached = adopt(scope);
        }
        if (cached != null && !(mayResign && due(scope, cached))) {
            return cached;
        }
        synchronized (locks.computeIfAbsent(scope, s -> new Object())) {
            cached = cache.get(scope);
            if (cached != null && !(mayResign && due(scope, cached))) {
                return cached;
            }
            if (scope.delta() && !cache.containsKey(new Scope(scope.ca(), scope.partition(), false))) {
                // A delta needs a recorded base; the complete CRL of its scope makes sure there is one.
                Scope complete = new Scope(scope.ca(), scope.partition(), false);
                current(complete, store.read(tx -> tx.crls().publishedNumber(complete.stored())).orElse(null), mayResign);
            }
            GeneratedCrl fresh = crls.generate(scope.ca(), scope.delta(), scope.partition());
            boolean saved = store.inTransaction(tx -> tx.crls().savePublished(stored(fresh)));
            // Not saved: a higher one was stored meanwhile (a node that took the lease over, or signed a new scope).
            return saved ? keep(scope, fresh) : adopt(scope);
        }
    }

    /** Takes the stored CRL of a scope into this node's cache. */
    private GeneratedCrl adopt(Scope scope) {
        PublishedCrl p = store.read(tx -> tx.crls().published(scope.stored())).orElseThrow(() ->
                new IllegalStateException("the stored CRL of " + scope.stored() + " went away")); // rows are replaced, never deleted
        return keep(scope, new GeneratedCrl(p.caName(), scope.partition(), p.delta(), p.number(), p.baseNumber(), p.thisUpdate(),
                p.nextUpdate(), p.maxSeq(), p.entries(), p.der()));
    }

    /** Caches {@code crl} unless a higher one is cached already (threads of one node racing); returns the cached one. */
    private GeneratedCrl keep(Scope scope, GeneratedCrl crl) {
        return cache.merge(scope, crl, (old, neu) -> neu.number() > old.number() ? neu : old);
    }

    private static PublishedCrl stored(GeneratedCrl c) {
        return new PublishedCrl(c.ca(), c.partition() == null ? CrlBase.WHOLE_CA : c.partition(), c.delta(), c.number(), c.baseNumber(),
                c.thisUpdate(), c.nextUpdate(), c.seq(), c.entries(), c.der());
    }

    private boolean due(Scope scope, GeneratedCrl crl) {
        Instant now = clock.instant();
        Duration validity = Duration.between(crl.thisUpdate(), crl.nextUpdate());
        Duration age = Duration.between(crl.thisUpdate(), now);
        if (age.compareTo(validity.dividedBy(2)) >= 0 || age.isNegative()) {
            return true;
        }
        if (knownSeq <= crl.seq()) {
            return false;
        }
        // Only a CA-wide complete CRL that is big waits for crlRefresh (deltas carry the news meanwhile): re-signing one
        // of a million entries takes seconds, one of a few thousand a few milliseconds, so small ones follow at once.
        boolean large = scope.partition() == null && !scope.delta() && crl.entries() >= LARGE_ENTRIES;
        return !large || age.compareTo(settings.current().crlRefreshDuration()) >= 0;
    }

    private Scope parse(String fileName) {
        Matcher m = fileName == null ? null : NAME.matcher(fileName);
        if (m == null || !m.matches()) {
            throw HallmarkException.notFound("no CRL named '" + fileName + "'");
        }
        String stem = fileName.substring(0, fileName.length() - 4);
        boolean delta = stem.endsWith("-delta");
        if (delta) stem = stem.substring(0, stem.length() - 6);
        // A CA imported without its key has no CRL here: nothing could sign one.
        List<String> names = cas.list().stream().filter(CertificateAuthority::hasKey).map(CertificateAuthority::name).toList();
        // A CA may itself be named like "fleet-2": the whole stem naming a CA wins over a partition suffix.
        if (names.contains(stem)) {
            return new Scope(stem, null, delta);
        }
        int dash = stem.lastIndexOf('-');
        if (dash > 0 && names.contains(stem.substring(0, dash)) && stem.substring(dash + 1).matches("\\d{1,5}")) {
            int k = Integer.parseInt(stem.substring(dash + 1));
            if (k < settings.current().partitionsOf(stem.substring(0, dash))) {
                return new Scope(stem.substring(0, dash), k, delta);
            }
        }
        throw HallmarkException.notFound("no CRL named '" + fileName + "'");
    }
}
