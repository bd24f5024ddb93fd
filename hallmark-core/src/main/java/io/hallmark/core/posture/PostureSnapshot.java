package io.hallmark.core.posture;

import io.hallmark.core.store.InventoryOverview;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything the radar scores, as plain numbers, so it can be computed (and tested) without a store.
 *
 * @param cas         each CA's key custody and algorithm
 * @param fleet       the fleet's counts: the inventory overview, the same reading the console and the metrics show
 * @param revocation  per CA with a key: its CRL and OCSP responder state
 * @param crlValidity the configured complete CRL validity (nextUpdate - thisUpdate)
 * @param audit       the audit chain's state
 */
public record PostureSnapshot(Instant at, List<CaKey> cas, InventoryOverview fleet, List<RevocationState> revocation,
                              Duration crlValidity, AuditState audit) {

    public PostureSnapshot {
        cas = List.copyOf(cas);
        revocation = List.copyOf(revocation);
    }

    /** Where a CA's signing key is kept. */
    public enum Custody {
        /** on a PKCS#11 token (an HSM) */
        HSM,
        /** not in this installation (an offline root kept by key ceremony, or an imported CA) */
        OFFLINE,
        /** in the software vault (sealed by the passphrase) */
        SOFTWARE
    }

    public record CaKey(String name, boolean root, Custody custody, String algorithm) {
    }

    /**
     * @param crlThisUpdate   thisUpdate of its latest complete CRL; null if none was published yet
     * @param ocspNotAfter    its delegated OCSP responder certificate's notAfter; null if none yet
     */
    public record RevocationState(String ca, Instant crlThisUpdate, Instant ocspNotAfter) {
    }

    /**
     * @param verified       false when the chain was not walked (the report was asked not to)
     * @param intact         the chain reaches the recorded head, unaltered
     * @param entries        entries in the log (the head's sequence number)
     * @param verifiedFrom   the entry the walk started after: the last signed checkpoint's, 0 for the whole chain
     * @param lastCheckpoint when the last signed audit checkpoint was taken; null if never
     */
    public record AuditState(boolean verified, boolean intact, long entries, long verifiedFrom, Instant lastCheckpoint) {

        AuditState withLastCheckpoint(Instant at) {
            return new AuditState(verified, intact, entries, verifiedFrom, at);
        }
    }
}
