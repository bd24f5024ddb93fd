package io.hallmark.core.revoke;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.Store;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Date;

/**
 * Where an OCSP answer's status comes from: the store's certificate and revocation records, cached for a
 * quarter of the answers' validity and dropped as soon as a revocation is heard of.
 */
final class OcspStatusSource {

    private record StatusKey(String ca, BigInteger serial) {
    }

    /** A known certificate's status: BouncyCastle spells good as null (CertificateStatus.GOOD), so it is wrapped. */
    private record Known(CertificateStatus status) {
    }

    private final Store store;
    private final Cache<StatusKey, Known> statuses;

    OcspStatusSource(Store store, Duration validity, int cacheSize) {
        this.store = store;
        this.statuses = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(validity.dividedBy(4)).build();
    }

    /** Good, revoked (time and reason), or unknown: no such serial from that CA. May read the store. */
    CertificateStatus status(CertificateAuthority ca, BigInteger serial) {
        Known known = statuses.get(new StatusKey(ca.name(), serial), k -> lookup(ca.name(), serial));
        return known == null ? new UnknownStatus() : known.status();
    }

    void invalidate(String ca, BigInteger serial) {
        statuses.invalidate(new StatusKey(ca, serial));
    }

    /** Null for unknown, which the cache then does not keep (the serial may be issued later). */
    private Known lookup(String ca, BigInteger serial) {
        String hex = Serials.hex(serial);
        return store.read(tx -> tx.certificates().find(hex)) // a read: on SQLite a miss does not queue behind issuance's write lock
                .filter(c -> c.caName().equals(ca))
                .map(c -> new Known(c.revocation() == null ? CertificateStatus.GOOD
                        : new RevokedStatus(Date.from(c.revocation().revokedAt()), c.revocation().reason().code())))
                .orElse(null);
    }
}
