package io.hallmark.core.revoke;

import io.hallmark.core.ca.CaService;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.revoke.CrlService.GeneratedCrl;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves CRLs and CA certificates by their published file names, for {@code GET /crl/NAME.crl} and
 * {@code GET /ca/NAME.crt}. Each node keeps the CRLs it has signed in memory and re-signs one when:
 * revocations happened since (delta and partition CRLs at once; a CA-wide complete CRL at most once per
 * {@code crlRefresh}, because it can be large and deltas carry the news meanwhile), or half of its
 * validity has passed even with nothing new, so relying parties never hold one near its nextUpdate.
 * Revocations on this node are seen at once (listener), on other nodes by {@link #poll()}.
 */
public final class CrlPublisher implements Revoker.Listener {

    private static final Pattern NAME = Pattern.compile("([a-z0-9][a-z0-9-]{0,47}?)(?:-(\\d{1,5}))?(-delta)?\\.crl");
    private static final Duration POLL_AT_MOST_EVERY = Duration.ofSeconds(1);

    private record Scope(String ca, Integer partition, boolean delta) {
    }

    private final Store store;
    private final CaService cas;
    private final CrlService crls;
    private final PublicationSettings settings;
    private final Clock clock;
    private final Map<Scope, GeneratedCrl> cache = new ConcurrentHashMap<>();
    private final Map<Scope, Object> locks = new ConcurrentHashMap<>();
    private volatile long knownSeq = -1;
    private volatile Instant polledAt = Instant.MIN;

    public CrlPublisher(Store store, CaService cas, CrlService crls, PublicationSettings settings, Clock clock) {
        this.store = store;
        this.cas = cas;
        this.crls = crls;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The current CRL published as {@code fileName} ({@code ldevid-ca.crl}, {@code ldevid-ca-7.crl},
     * {@code ldevid-ca-delta.crl}, {@code ldevid-ca-7-delta.crl}), signing a fresh one if due.
     *
     * @throws HallmarkException NOT_FOUND for a name that is no CRL here
     */
    public GeneratedCrl crl(String fileName) {
        Scope scope = parse(fileName);
        if (Duration.between(polledAt, clock.instant()).compareTo(POLL_AT_MOST_EVERY) >= 0) {
            poll();
        }
        return current(scope);
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
        knownSeq = store.inTransaction(tx -> tx.certificates().revocationSequence());
        polledAt = clock.instant();
    }

    @Override
    public void revoked(List<CertificateRecord> revoked) {
        polledAt = Instant.MIN; // the next request reads the sequence again
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

    /** Re-signs every CRL this node has served that is due; for a scheduler, so requests rarely wait on signing. */
    public void refreshDue() {
        poll();
        for (Scope scope : cache.keySet()) {
            current(scope);
        }
    }

    private GeneratedCrl current(Scope scope) {
        GeneratedCrl cached = cache.get(scope);
        if (cached != null && !due(scope, cached)) {
            return cached;
        }
        synchronized (locks.computeIfAbsent(scope, s -> new Object())) {
            cached = cache.get(scope);
            if (cached != null && !due(scope, cached)) {
                return cached;
            }
            if (scope.delta() && !cache.containsKey(new Scope(scope.ca(), scope.partition(), false))) {
                // A delta needs a recorded base; signing the complete CRL here makes sure there is one.
                current(new Scope(scope.ca(), scope.partition(), false));
            }
            GeneratedCrl fresh = crls.generate(scope.ca(), scope.delta(), scope.partition());
            cache.put(scope, fresh);
            return fresh;
        }
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
        boolean large = scope.partition() == null && !scope.delta();
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
