package io.hallmark.core.station;

import java.time.Instant;
import java.util.List;

/**
 * A station to register.
 *
 * @param cas        CAs it may request certificates from
 * @param profiles   profiles it may request
 * @param quota      most certificates it may obtain fresh; null for no limit
 * @param validFrom  null for immediately
 * @param validUntil null for no end (its client certificate's expiry still ends its access)
 * @param clientCa   the CA that issues its client certificate (profile {@code client}), normally clients-ca
 */
public record StationSpec(String name, String site, String productLine, List<String> cas, List<String> profiles,
                          Long quota, Instant validFrom, Instant validUntil, String clientCa) {

    public StationSpec {
        cas = List.copyOf(cas);
        profiles = List.copyOf(profiles);
    }
}
