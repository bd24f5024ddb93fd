package io.hallmark.core.enroll;

import io.hallmark.core.authorize.Grant;
import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.access.Credentials;
import io.hallmark.core.access.Secrets;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.CredentialRepository.EnrollmentToken;
import io.hallmark.core.store.Store;

import java.time.Clock;
import java.util.Optional;

/**
 * Bootstrap for devices without an IDevID (RFC 7030 §3.2.3 HTTP-based client authentication): HTTP Basic
 * with the device id as user and a one-time enrollment token as password. Off unless the label allows it.
 */
public final class TokenAuthorizer implements EnrollmentAuthorizer {

    private final Store store;
    private final Clock clock;

    public TokenAuthorizer(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Optional<Grant> authorize(EnrollmentRequest request) {
        Optional<Evidence.SharedSecret> basic = request.evidence(Evidence.SharedSecret.class);
        if (basic.isEmpty() || request.purpose() == EnrollmentRequest.Purpose.RENEW) {
            return Optional.empty();
        }
        if (!request.policy().allowBootstrap()) {
            throw HallmarkException.forbidden("enrollment without an IDevID is not allowed on this route (an EST label with bootstrap off)");
        }
        var presented = Secrets.parse(Credentials.ENROLLMENT_PREFIX, basic.get().secret())
                .orElseThrow(() -> HallmarkException.unauthenticated("the password is not an enrollment token"));
        var now = clock.instant();
        EnrollmentToken token = store.read(tx -> tx.credentials().usableEnrollmentToken(presented.id(), now))
                .filter(t -> Secrets.matches(presented.secret(), t.secretHash()))
                .orElseThrow(() -> HallmarkException.unauthenticated("unknown, used or expired enrollment token"));
        if (!token.deviceId().equals(basic.get().user())) {
            throw HallmarkException.forbidden("this enrollment token is for another device");
        }
        // Spent in the transaction that records the certificate, so a failed issuance leaves it usable and a
        // concurrent second use of it loses there (the conditional update lets exactly one claim win).
        // A token covers one certificate; a replay of the device's stored identity costs nothing and spends none.
        return Optional.of(new Grant(token.deviceId(), null, null, "token:" + token.id(), null, (tx, fresh) -> {
            if (fresh == 0) {
                return 0;
            }
            if (!tx.credentials().claimEnrollmentToken(token.id(), now)) {
                throw HallmarkException.unauthenticated("enrollment token already used");
            }
            return 1;
        }));
    }
}
