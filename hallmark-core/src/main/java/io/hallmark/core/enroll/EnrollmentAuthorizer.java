package io.hallmark.core.enroll;

import java.util.Optional;

/**
 * Decides who may ask for a certificate, separately from what gets signed (the profile does that), as
 * step-ca's provisioners do. Authorizers form a chain; each looks at the credentials it understands.
 */
public interface EnrollmentAuthorizer {

    /**
     * @return empty if this authorizer does not apply (the request carries no credentials of its kind);
     *         a grant if it applies and allows
     * @throws io.hallmark.core.error.HallmarkException FORBIDDEN (or UNAUTHENTICATED) if it applies and refuses,
     *                                            with a reason a device operator can act on
     */
    Optional<Grant> authorize(EnrollmentRequest request);
}
