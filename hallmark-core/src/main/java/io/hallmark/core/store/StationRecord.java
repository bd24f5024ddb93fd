package io.hallmark.core.store;

import java.time.Instant;
import java.util.List;

/**
 * A factory station as stored: a client of Hallmark, bound to its client certificate, with the CAs and
 * profiles it may request and how many certificates it may obtain.
 *
 * @param quota           most certificates it may obtain fresh (replays are free); null for no limit
 * @param validFrom       it may not issue before this instant; null for no bound
 * @param validUntil      it may not issue after this instant; null for no bound
 * @param certSerial      serial of its client certificate
 * @param certFingerprint SHA-256 of that certificate's DER, hex: what mutual TLS identifies it by
 * @param issued          certificates freshly issued at its request so far
 * @param disabledAt      when an operator disabled it (it may do nothing until enabled again); null while enabled
 */
public record StationRecord(String name, String site, String productLine, List<String> cas, List<String> profiles,
                            Long quota, Instant validFrom, Instant validUntil, String certSerial, String certFingerprint,
                            long issued, Instant createdAt, Instant disabledAt) {

    public StationRecord {
        cas = List.copyOf(cas);
        profiles = List.copyOf(profiles);
    }
}
