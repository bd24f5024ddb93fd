package io.hallmark.core.revoke;

import io.hallmark.core.crypto.Serials;

import java.math.BigInteger;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The serials OCSP was asked about since the last drain, in memory: a relying party asking about a device's
 * certificate is the device showing up somewhere, so these move its last seen, but the responder answers from memory
 * and must not write per request. A repeat costs one hash lookup; the set holds at most {@code limit} serials between
 * two drains (a new serial beyond that is skipped, and counts at its next query after the drain).
 */
final class OcspQueries {

    /** Distinct serials kept between two drains: about 10 MB at most. */
    static final int DEFAULT_LIMIT = 100_000;

    private final int limit;
    private final AtomicReference<Set<BigInteger>> serials = new AtomicReference<>(ConcurrentHashMap.newKeySet());

    OcspQueries(int limit) {
        this.limit = limit;
    }

    void add(BigInteger serial) {
        Set<BigInteger> now = serials.get();
        if (now.contains(serial)) return;
        if (now.size() < limit) now.add(serial);
    }

    /** The serials gathered since the last drain, as stored (lowercase hex); starts a new gathering. */
    Set<String> drain() {
        Set<BigInteger> taken = serials.getAndSet(ConcurrentHashMap.newKeySet());
        Set<String> hex = new java.util.HashSet<>(taken.size() * 2);
        for (BigInteger s : taken) hex.add(Serials.hex(s));
        return hex;
    }
}
