package io.hallmark.core.revoke;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.hallmark.core.store.CertificateAuthority;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.ocsp.CertificateID;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * Pre-produced single-certificate responses (RFC 5019 style): bounded, refreshed in the background once a
 * quarter of their validity has passed, expired at half of it, dropped at once on a revocation. So a burst
 * of queries for the same certificates costs no signing.
 */
final class OcspResponseCache {

    /** A response's certificate: its CA, serial, and the hash algorithm its CertID names the issuer with. */
    record Key(String ca, BigInteger serial, ASN1ObjectIdentifier alg) {

        static Key of(CertificateAuthority ca, CertificateID id) {
            return new Key(ca.name(), id.getSerialNumber(), id.getHashAlgOID());
        }
    }

    /** A signed single-certificate response and the CertID it answers (kept to refresh it). */
    record PreProduced(CertificateID id, byte[] der) {

        /** Its bytes if it answers exactly this CertID, else null. */
        byte[] answers(CertificateID asked) {
            return id.equals(asked) ? der : null;
        }
    }

    /** A request's DER bytes, compared by content. */
    private record Der(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Der d && Arrays.equals(bytes, d.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** What a request that was answered from cache asked for, and the answer it got. */
    private record Seen(Key key, PreProduced answer) {
    }

    private final BiFunction<Key, CertificateID, PreProduced> producer;
    private final LoadingCache<Key, PreProduced> responses;
    /**
     * Requests answered from cache, by their bytes: relying parties repeat the same request byte for byte,
     * and parsing it costs more than the rest of a cached answer. An entry holds only while its answer is
     * still the one cached (a refresh or a revocation replaces that), so it never outlives the answer.
     */
    private final Cache<Der, Seen> seen;

    /** @param produce signs the response for a key; the CertID to answer, or null to make one (a refresh passes the old one) */
    OcspResponseCache(Duration validity, int cacheSize, BiFunction<Key, CertificateID, PreProduced> produce) {
        this.producer = produce;
        this.responses = Caffeine.newBuilder()
                .maximumSize(cacheSize)
                .refreshAfterWrite(validity.dividedBy(4))
                .expireAfterWrite(validity.dividedBy(2))
                .build(new CacheLoader<Key, PreProduced>() {
                    @Override
                    public PreProduced load(Key key) {
                        return produce.apply(key, null);
                    }

                    @Override
                    public PreProduced reload(Key key, PreProduced old) {
                        return produce.apply(key, old.id());
                    }
                });
        this.seen = Caffeine.newBuilder().maximumSize(cacheSize).build();
    }

    /**
     * The answer given before to exactly these request bytes, if it is still the cached one; never blocks. The serial
     * it answers for goes to {@code queried}.
     */
    byte[] answeredBefore(byte[] der, OcspQueries queried) {
        Seen known = der == null ? null : seen.getIfPresent(new Der(der));
        if (known == null || responses.getIfPresent(known.key()) != known.answer()) return null;
        queried.add(known.key().serial());
        return known.answer().der();
    }

    /** The cached response for the key, or null; never blocks. */
    PreProduced cached(Key key) {
        return responses.getIfPresent(key);
    }

    /** Remembers that these request bytes were answered with this cached response. */
    void remember(byte[] der, Key key, PreProduced answer) {
        seen.put(new Der(der.clone()), new Seen(key, answer));
    }

    /** The cached response, produced for this CertID if there is none; may sign. */
    PreProduced produce(Key key, CertificateID id) {
        return responses.get(key, k -> producer.apply(k, id));
    }

    /** Drops the responses for a certificate just revoked (both CertID hash algorithms). */
    void invalidate(String ca, BigInteger serial) {
        responses.invalidate(new Key(ca, serial, OcspIssuerIndex.SHA1));
        responses.invalidate(new Key(ca, serial, OcspIssuerIndex.SHA256));
    }
}
