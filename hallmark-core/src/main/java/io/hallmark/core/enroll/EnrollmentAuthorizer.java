package io.hallmark.core.enroll;

import io.hallmark.core.authorize.Authorizer;
import io.hallmark.core.authorize.Grant;

/**
 * Decides who may ask for certificates on a route, separately from what gets signed (the profile does that),
 * as step-ca's provisioners do. Authorizers form a chain; each looks at the evidence it understands.
 */
public interface EnrollmentAuthorizer extends Authorizer<EnrollmentRequest, Grant> {
}
