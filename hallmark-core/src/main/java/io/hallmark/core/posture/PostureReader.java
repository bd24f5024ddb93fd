package io.hallmark.core.posture;

import io.hallmark.core.checkpoint.ChainSinceCheckpoint;
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
 * Builds a {@link PostureSnapshot} from the store in one read-only transaction: the per-CA state, the fleet's counts
 * (the inventory overview: the one reading of them, {@link io.hallmark.core.store.InventoryRepository#overview}) and
 * the audit chain since its last signed checkpoint. Reads only: neither it nor the radar writes.
 */
public final class PostureReader {

    private final Store store;
    private final Supplier<Duration> crlValidity;
    private final Clock clock;

    public PostureReader(Store store, Supplier<Duration> crlValidity, Clock clock) {
        this.store = store;
        this.crlValidity = crlValidity;
        this.clock = clock;
    }

    /**
     * @param verifyAudit walk the audit chain from its last signed checkpoint (its cost grows with what was written
     *                    since; the console's overview skips it and the audit page walks the whole chain)
     */
    public PostureSnapshot snapshot(boolean verifyAudit) {
        Instant now = clock.instant();
        // Read before the transaction: on a cache miss the supplier reads the store itself, and a second connection
        // asked for while this one is held is how a pool runs dry (every caller holding one, waiting for another).
        Duration validity = crlValidity.get();
        return store.read(tx -> {
            var fleet = tx.inventory().overview(now, io.hallmark.core.inventory.Inventory.deprecated(tx));
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
            PostureSnapshot.AuditState audit;
            if (verifyAudit) {
                var chain = ChainSinceCheckpoint.verify(tx.audit());
                audit = new PostureSnapshot.AuditState(true, chain.verification().intact(), entries, chain.from(), chain.lastCheckpoint());
            } else {
                audit = new PostureSnapshot.AuditState(false, false, entries, 0, ChainSinceCheckpoint.lastCheckpoint(tx.audit()));
            }
            return new PostureSnapshot(now, cas, fleet, revocation, validity, audit);
        });
    }

    static Custody custody(String keyRef) {
        if (keyRef.startsWith(KeyVaults.NO_KEY)) return Custody.OFFLINE;
        return keyRef.startsWith("pkcs11:") ? Custody.HSM : Custody.SOFTWARE;
    }
}
