package io.hallmark.core.station;

import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.authorize.Grant;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.enroll.EnrollmentAuthorizer;
import io.hallmark.core.enroll.EnrollmentRequest;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.Confirmation;
import io.hallmark.core.store.Store;
import io.hallmark.core.store.Tx;

import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.util.Optional;

/**
 * Factory stations as an authorizer: a batch request ({@link EnrollmentRequest.Purpose#BATCH}) from a
 * registered station (its TLS client certificate, or its name given at the console) gets a grant for the
 * route's CA and profile. The grant's confirmation reads the station's rights again and takes its quota in
 * every chunk's recording transaction, so a station revoked, closed or out of quota during a long batch stops
 * at its next chunk, on whichever node runs it.
 */
public final class StationAuthorizer implements EnrollmentAuthorizer {

    private final Store store;
    private final Clock clock;

    public StationAuthorizer(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Optional<Grant> authorize(EnrollmentRequest request) {
        if (request.purpose() != EnrollmentRequest.Purpose.BATCH) {
            return Optional.empty();
        }
        String presented = request.evidence(Evidence.StationName.class).map(Evidence.StationName::name)
                .or(() -> request.evidence(Evidence.ClientCertificateChain.class).map(StationAuthorizer::fingerprint))
                .orElse(null);
        if (presented == null) {
            return Optional.empty();
        }
        String ca = request.route().ca();
        String profile = request.route().profile();
        // Checked before the batch starts too, so a refused station gets a status rather than a stream of refusals.
        String name = store.read(tx -> StationService.authorize(tx, presented, ca, profile, clock.instant())).name();
        return Optional.of(new Grant(null, null, null, "station:" + name, name, new Quota(name, ca, profile, clock)));
    }

    /** The station's rights, read again, and its quota, spent, in the recording transaction. */
    private record Quota(String station, String ca, String profile, Clock clock) implements Confirmation {
        @Override
        public int confirm(Tx tx, int fresh) {
            StationService.authorize(tx, station, ca, profile, clock.instant());
            return fresh == 0 ? 0 : (int) tx.stations().reserve(station, fresh);
        }

        @Override
        public HallmarkException exhausted(String deviceId) {
            return HallmarkException.forbidden("station " + station + " has used its quota; nothing was issued for device " + deviceId);
        }
    }

    private static String fingerprint(Evidence.ClientCertificateChain chain) {
        try {
            return Fingerprints.sha256Hex(chain.leaf().getEncoded());
        } catch (CertificateEncodingException e) {
            throw HallmarkException.badInput("unreadable client certificate");
        }
    }
}
