package io.hallmark.core.enroll;

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
        if (request.basic() == null || request.operation() == EnrollmentRequest.Operation.REENROLL) {
            return Optional.empty();
        }
        if (!request.label().allowBootstrap()) {
            throw HallmarkException.forbidden("enrollment without an IDevID is disabled for this label");
        }
        var presented = Secrets.parse(Credentials.ENROLLMENT_PREFIX, request.basic().password())
                .orElseThrow(() -> HallmarkException.unauthenticated("the password is not an enrollment token"));
        var now = clock.instant();
        EnrollmentToken token = store.read(tx -> tx.credentials().usableEnrollmentToken(presented.id(), now))
                .filter(t -> Secrets.matches(presented.secret(), t.secretHash()))
                .orElseThrow(() -> HallmarkException.unauthenticated("unknown, used or expired enrollment token"));
        if (!token.deviceId().equals(request.basic().user())) {
            throw HallmarkException.forbidden("this enrollment token is for another device");
        }
        if (!store.inTransaction(tx -> tx.credentials().claimEnrollmentToken(token.id(), now))) {
            throw HallmarkException.unauthenticated("enrollment token already used");
        }
        return Optional.of(new Grant(token.deviceId(), null, null, "token:" + token.id(),
                () -> store.run(tx -> tx.credentials().releaseEnrollmentToken(token.id()))));
    }
}
