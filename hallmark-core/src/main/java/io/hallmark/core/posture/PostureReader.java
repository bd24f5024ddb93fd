package io.hallmark.core.posture;

import io.hallmark.core.posture.PostureSnapshot.Custody;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CrlBase;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyVaults;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds a {@link PostureSnapshot} from the store, in one read-only transaction for the per-CA state and the fleet's
 * grouped counts from {@link FleetCounts.Source}. Reads only: neither it nor the radar writes.
 */
public final class PostureReader {

    private final Store store;
    private final FleetCounts.Source counts;
    private final Supplier<Duration> crlValidity;
    private final Clock clock;

    public PostureReader(Store store, FleetCounts.Source counts, Supplier<Duration> crlValidity, Clock clock) {
        this.store = store;
        this.counts = counts;
        this.crlValidity = crlValidity;
        this.clock = clock;
    }

    /**
     * @param verifyAudit walk the whole audit chain (its cost grows with the log; the console's overview skips it and
     *                    the audit page shows it)
     */
    public PostureSnapshot snapshot(boolean verifyAudit) {
        Instant now = clock.instant();
        FleetCounts fleet = counts.counts(now);
        return store.read(tx -> {
            List<PostureSnapshot.CaKey> cas = new ArrayList<>();
            List<PostureSnapshot.RevocationState> revocation = new ArrayList<>();
            for (CertificateAuthority ca : tx.cas().all()) {
                cas.add(new PostureSnapshot.CaKey(ca.name(), ca.isRoot(), custody(ca.keyRef()), ca.algorithm().id()));
                if (!ca.hasKey()) continue;
                Instant crl = tx.crls().base(ca.name(), CrlBase.WHOLE_CA).map(CrlBase::thisUpdate).orElse(null);
                Instant ocsp = tx.ocspResponders().find(ca.name())
                        .flatMap(r -> tx.certificates().find(r.serial())).map(c -> c.notAfter()).orElse(null);
                revocation.add(new PostureSnapshot.RevocationState(ca.name(), crl, ocsp));
            }
            long entries = tx.audit().head().map(h -> h.seq()).orElse(0L);
            PostureSnapshot.AuditState audit = verifyAudit
                    ? new PostureSnapshot.AuditState(true, tx.audit().verify().intact(), entries)
                    : new PostureSnapshot.AuditState(false, false, entries);
            return new PostureSnapshot(now, cas, fleet, revocation, crlValidity.get(), audit);
        });
    }

    static Custody custody(String keyRef) {
        if (keyRef.startsWith(KeyVaults.NO_KEY)) return Custody.OFFLINE;
        return keyRef.startsWith("pkcs11:") ? Custody.HSM : Custody.SOFTWARE;
    }
}
